using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// Reads a WhatsApp Business Account webhook body into events. Iterates every entry, change, message, status,
/// error and user preference (Meta batches up to 1000 updates); unknown fields, types and properties are kept,
/// never fatal. Only a body that is not JSON, or not a webhook object at all, is rejected as a whole; an item that
/// cannot be an event (a message without an id) is a problem of its own and does not hold back the other events.
/// </summary>
public static class WebhookParser
{
    /// <summary>Strict: the events, or an exception when the body or any of its items cannot be read.</summary>
    public static IReadOnlyList<WebhookEvent> Parse(ReadOnlyMemory<byte> body)
    {
        var parsed = Read(body);
        return parsed.Problems.Count == 0 ? parsed.Events : throw new WebhookPayloadException(parsed.Problems[0]);
    }

    /// <summary>
    /// Lenient: every event that can be read, plus a description (free of payload) of each item that cannot.
    /// Throws <see cref="WebhookPayloadException"/> only when the body as a whole is not a webhook.
    /// </summary>
    public static ParsedWebhook Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new WebhookPayloadException("Body is not valid JSON.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WebhookPayloadException("Body is not a JSON object.");
            }

            if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new WebhookPayloadException("Body has no entry array.");
            }

            var events = new List<WebhookEvent>();
            var problems = new List<string>();
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var change in changes.EnumerateArray())
                {
                    ParseChange(change, events, problems);
                }
            }

            return new ParsedWebhook(events, problems);
        }
    }

    private static void ParseChange(JsonElement change, List<WebhookEvent> events, List<string> problems)
    {
        if (change.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var field = String(change, "field") ?? "unknown";
        if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            events.Add(Unhandled("", field, change));
            return;
        }

        var phoneNumberId = value.TryGetProperty("metadata", out var metadata) ? String(metadata, "phone_number_id") ?? "" : "";
        if (field is not ("messages" or "user_preferences"))
        {
            events.Add(Unhandled(phoneNumberId, field, value));
            return;
        }

        var contacts = Array(value, "contacts").Select(ParseContact).ToList();

        var index = 0;
        foreach (var message in Array(value, "messages"))
        {
            if (String(message, "id") is null)
            {
                problems.Add($"A message has no id (messages[{index}]).");
            }
            else
            {
                events.Add(ParseMessage(phoneNumberId, message, contacts));
            }

            index++;
        }

        index = 0;
        foreach (var status in Array(value, "statuses"))
        {
            if (String(status, "id") is null)
            {
                problems.Add($"A status has no message id (statuses[{index}]).");
            }
            else
            {
                events.Add(ParseStatus(phoneNumberId, status));
            }

            index++;
        }

        foreach (var error in Array(value, "errors"))
        {
            events.Add(new AccountErrorEvent(phoneNumberId, ParseError(error), Fingerprint(error)));
        }

        foreach (var preference in Array(value, "user_preferences"))
        {
            events.Add(new UserPreferenceChange(
                phoneNumberId,
                String(preference, "wa_id"),
                String(preference, "user_id"),
                String(preference, "category") ?? "unknown",
                String(preference, "value") ?? "unknown",
                Timestamp(preference),
                String(preference, "detail")));
        }
    }

    private static InboundMessage ParseMessage(string phoneNumberId, JsonElement message, List<WebhookContact> contacts)
    {
        var id = String(message, "id") ?? throw new WebhookPayloadException("A message has no id.");
        var type = String(message, "type") ?? "unknown";
        var from = String(message, "from");
        var fromUserId = String(message, "from_user_id");

        string? text = null, payload = null, replyId = null;
        SystemChange? system = null;
        switch (type)
        {
            case "text":
                text = Nested(message, "text", "body");
                break;
            case "button":
                text = Nested(message, "button", "text");
                payload = Nested(message, "button", "payload");
                break;
            case "interactive" when message.TryGetProperty("interactive", out var interactive):
                var kind = String(interactive, "type");
                if (kind is not null && interactive.TryGetProperty(kind, out var reply) && reply.ValueKind == JsonValueKind.Object)
                {
                    replyId = String(reply, "id");
                    text = String(reply, "title");
                }

                break;
            case "image" or "video" or "document" or "audio" or "sticker":
                text = Nested(message, type, "caption");
                break;
            case "reaction":
                text = Nested(message, "reaction", "emoji");
                break;
            case "system" when message.TryGetProperty("system", out var sys):
                text = String(sys, "body");
                system = new SystemChange(String(sys, "type") ?? "unknown", String(sys, "wa_id") ?? String(sys, "new_wa_id"), String(sys, "user_id"));
                break;
        }

        var contact = contacts.FirstOrDefault(c => (from is not null && c.WaId == from) || (fromUserId is not null && c.UserId == fromUserId))
            ?? (contacts.Count == 1 ? contacts[0] : null);

        return new InboundMessage(
            phoneNumberId,
            id,
            from ?? contact?.WaId,
            fromUserId ?? contact?.UserId,
            Timestamp(message),
            type,
            text,
            payload,
            replyId,
            Nested(message, "context", "id"),
            system,
            contact,
            Array(message, "errors").Select(ParseError).ToList(),
            message.GetRawText());
    }

    private static StatusUpdate ParseStatus(string phoneNumberId, JsonElement status) =>
        new(
            phoneNumberId,
            String(status, "id") ?? throw new WebhookPayloadException("A status has no message id."),
            (String(status, "status") ?? "unknown").ToLowerInvariant(),
            Timestamp(status),
            String(status, "recipient_id"),
            String(status, "recipient_user_id"),
            String(status, "biz_opaque_callback_data"),
            Nested(status, "pricing", "category"),
            Array(status, "errors").Select(ParseError).ToList());

    private static WebhookContact ParseContact(JsonElement contact) =>
        new(String(contact, "wa_id"), String(contact, "user_id"), String(contact, "parent_user_id"), Nested(contact, "profile", "name"));

    private static WebhookError ParseError(JsonElement error) =>
        new(
            error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var c) ? c : 0,
            String(error, "title"),
            String(error, "message"),
            Nested(error, "error_data", "details"));

    private static UnhandledChange Unhandled(string phoneNumberId, string field, JsonElement value) =>
        new(phoneNumberId, field, value.GetRawText(), Fingerprint(value));

    private static string Fingerprint(JsonElement element) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(element.GetRawText())))[..32];

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static string? String(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static string? Nested(JsonElement parent, string outer, string inner) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(outer, out var o) ? String(o, inner) : null;

    private static DateTimeOffset Timestamp(JsonElement parent)
    {
        var raw = String(parent, "timestamp");
        return raw is not null && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
    }
}
