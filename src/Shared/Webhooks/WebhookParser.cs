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
        // The JSON reader checks structure, not the bytes inside strings; those would fail only when read.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw new WebhookPayloadException("Body is not valid UTF-8.");
        }

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
            var entryIndex = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"entry[{entryIndex}] has no changes array.");
                }
                else
                {
                    var changeIndex = 0;
                    var entryTime = Timestamp(entry, "time");
                    foreach (var change in changes.EnumerateArray())
                    {
                        var where = $"entry[{entryIndex}].changes[{changeIndex++}]";
                        try
                        {
                            ParseChange(change, where, entryTime, events, problems);
                        }
                        catch (InvalidOperationException)
                        {
                            // JsonElement.GetString refuses escapes that are not valid UTF-16 (a lone surrogate).
                            problems.Add($"{where} has text that is not valid Unicode.");
                        }
                    }
                }

                entryIndex++;
            }

            return new ParsedWebhook(events, problems);
        }
    }

    private static void ParseChange(JsonElement change, string where, DateTimeOffset entryTime, List<WebhookEvent> events, List<string> problems)
    {
        if (change.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where} is not an object.");
            return;
        }

        var field = Bounded(SafeString(change, "field"), MaxShortText) ?? "unknown";
        if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            Keep(Unhandled("", field, change), where, events, problems);
            return;
        }

        var phoneNumberId = Bounded(value.TryGetProperty("metadata", out var metadata) ? SafeString(metadata, "phone_number_id") : null, MaxShortText) ?? "";
        switch (field)
        {
            case "message_template_status_update" or "template_category_update" or "message_template_quality_update":
                Add(where, () => null, () => ParseTemplate(phoneNumberId, field, value, entryTime) ?? (WebhookEvent)Unhandled(phoneNumberId, field, value), events, problems);
                return;
            case "phone_number_quality_update":
                Add(where, () => null, () => ParseNumberQuality(phoneNumberId, value, entryTime) ?? (WebhookEvent)Unhandled(phoneNumberId, field, value), events, problems);
                return;
            case not ("messages" or "user_preferences"):
                Keep(Unhandled(phoneNumberId, field, value), where, events, problems);
                return;
        }

        var contacts = Items(value, "contacts", where, problems).Select(c => ParseContact(c.Item)).ToList();

        foreach (var (message, at) in Items(value, "messages", where, problems))
        {
            Add(at, () => ItemProblem(message, at, MessageLimits) ?? (String(message, "id") is null ? $"{at}: a message has no id." : null),
                () => ParseMessage(phoneNumberId, message, contacts), events, problems);
        }

        foreach (var (status, at) in Items(value, "statuses", where, problems))
        {
            Add(at, () => ItemProblem(status, at, StatusLimits) ?? (String(status, "id") is null ? $"{at}: a status has no message id." : null),
                () => ParseStatus(phoneNumberId, status), events, problems);
        }

        foreach (var (error, at) in Items(value, "errors", where, problems))
        {
            Add(at, () => null, () => new AccountErrorEvent(phoneNumberId, ParseError(error), Fingerprint(error)), events, problems);
        }

        var preferences = Items(value, "user_preferences", where, problems);
        for (var i = 0; i < preferences.Count; i++)
        {
            var (preference, at) = preferences[i];
            // A preference may name its user only through contacts[]: the single one, or the one at the same position.
            var contact = contacts.Count == 1 ? contacts[0] : contacts.Count == preferences.Count ? contacts[i] : null;
            var ownIds = String(preference, "wa_id") is not null || String(preference, "user_id") is not null;
            Add(at, () => ItemProblem(preference, at, PreferenceLimits), () => new UserPreferenceChange(
                phoneNumberId,
                ownIds ? String(preference, "wa_id") : contact?.WaId,
                ownIds ? String(preference, "user_id") : contact?.UserId,
                String(preference, "category") ?? "unknown",
                String(preference, "value") ?? "unknown",
                Timestamp(preference),
                Bounded(String(preference, "detail"), MaxShortText * 4)), events, problems);
        }
    }

    // Bounds that real payloads stay far below (a wamid is at most 128 characters, a wa_id a phone number) and that keep
    // every value inside a table property and every logged value short. A value beyond them cannot be Meta's.
    private const int MaxShortText = 64;
    private const int MaxKeptJson = 48 * 1024;

    private static readonly (string Property, int MaxLength)[] MessageLimits =
        [("id", 512), ("from", 32), ("from_user_id", 128), ("type", MaxShortText)];

    private static readonly (string Property, int MaxLength)[] StatusLimits =
        [("id", 512), ("status", 32), ("recipient_id", 64), ("recipient_user_id", 128), ("recipient_participant_id", 32), ("recipient_participant_user_id", 128), ("recipient_type", 32), ("biz_opaque_callback_data", 512)];

    private static readonly (string Property, int MaxLength)[] PreferenceLimits =
        [("wa_id", 32), ("user_id", 128), ("category", MaxShortText), ("value", MaxShortText)];

    /// <summary>Why an item is not an event: a listed property that is present but too long.</summary>
    private static string? ItemProblem(JsonElement item, string at, (string Property, int MaxLength)[] limits)
    {
        foreach (var (property, maxLength) in limits)
        {
            if (String(item, property) is { } text && text.Length > maxLength)
            {
                return $"{at}: {property} is longer than {maxLength} characters.";
            }
        }

        return null;
    }

    /// <summary>One item: its problem, or its event (which must fit a table row when kept whole).</summary>
    private static void Add(string at, Func<string?> problem, Func<WebhookEvent> parse, List<WebhookEvent> events, List<string> problems)
    {
        try
        {
            if (problem() is { } found)
            {
                problems.Add(found);
                return;
            }

            Keep(parse(), at, events, problems);
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString refuses escapes that are not valid UTF-16 (a lone surrogate).
            problems.Add($"{at} has text that is not valid Unicode.");
        }
    }

    /// <summary>Events kept whole (sealed) in a table row must fit one; a larger one stays in the parked body instead.</summary>
    private static void Keep(WebhookEvent kept, string at, List<WebhookEvent> events, List<string> problems)
    {
        var size = kept switch
        {
            UnhandledChange u => u.RawJson.Length,
            AccountErrorEvent e => (e.Error.Title?.Length ?? 0) + (e.Error.Message?.Length ?? 0) + (e.Error.Details?.Length ?? 0),
            _ => 0,
        };
        if (size > MaxKeptJson)
        {
            problems.Add($"{at}: too large to keep apart ({size} characters); the parked body keeps it.");
            return;
        }

        events.Add(kept);
    }

    /// <summary>The objects of an array property; any other item is a problem of its own.</summary>
    private static List<(JsonElement Item, string At)> Items(JsonElement parent, string name, string where, List<string> problems)
    {
        var items = new List<(JsonElement, string)>();
        if (!parent.TryGetProperty(name, out var array))
        {
            return items;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{where}: {name} is not an array.");
            return items;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"{where}.{name}[{index++}]";
            if (item.ValueKind == JsonValueKind.Object)
            {
                items.Add((item, at));
            }
            else
            {
                problems.Add($"{at} is not an object.");
            }
        }

        return items;
    }

    private static string? Bounded(string? value, int maxLength) => value is { } v && v.Length <= maxLength ? v : null;

    private static InboundMessage ParseMessage(string phoneNumberId, JsonElement message, List<WebhookContact> contacts)
    {
        var id = String(message, "id") ?? throw new WebhookPayloadException("A message has no id.");
        var type = String(message, "type") ?? "unknown";
        var from = String(message, "from");
        var fromUserId = String(message, "from_user_id");

        string? text = null, payload = null, replyId = null, original = null;
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
            case "revoke":
                original = Bounded(Nested(message, "revoke", "original_message_id"), 512);
                break;
            case "edit" when message.TryGetProperty("edit", out var edit) && edit.ValueKind == JsonValueKind.Object:
                original = Bounded(String(edit, "original_message_id"), 512);
                if (edit.TryGetProperty("message", out var edited) && edited.ValueKind == JsonValueKind.Object)
                {
                    // The new version: a text's body or a media message's caption.
                    var editedType = String(edited, "type");
                    text = Nested(edited, "text", "body") ?? (editedType is not null ? Nested(edited, editedType, "caption") : null);
                }

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
            message.GetRawText())
        {
            OriginalMessageId = original,
        };
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
            Bounded(Nested(status, "pricing", "category"), MaxShortText),
            Array(status, "errors").Select(ParseError).ToList())
        {
            RecipientType = String(status, "recipient_type")?.ToLowerInvariant(),
            ParticipantWaId = String(status, "recipient_participant_id"),
            ParticipantUserId = String(status, "recipient_participant_user_id"),
        };

    /// <summary>The three template webhooks share their identifying fields; null when no template id is named.</summary>
    private static TemplateUpdate? ParseTemplate(string phoneNumberId, string field, JsonElement value, DateTimeOffset at)
    {
        if (Bounded(String(value, "message_template_id"), MaxShortText) is not { } templateId)
        {
            return null;
        }

        var quality = field == "message_template_quality_update" || value.TryGetProperty("new_quality_score", out _);
        return new TemplateUpdate(
            phoneNumberId,
            quality ? "message_template_quality_update" : field,
            templateId,
            Bounded(String(value, "message_template_name"), 512),
            Bounded(String(value, "message_template_language"), MaxShortText),
            Bounded(String(value, "event"), MaxShortText),
            Bounded(String(value, "reason"), MaxShortText),
            Bounded(String(value, "new_category") ?? String(value, "message_template_category"), MaxShortText),
            Bounded(String(value, "previous_category"), MaxShortText),
            Bounded(String(value, "correct_category"), MaxShortText),
            Bounded(String(value, "new_quality_score"), MaxShortText),
            Bounded(String(value, "previous_quality_score"), MaxShortText),
            at,
            Fingerprint(value));
    }

    private static PhoneNumberQualityUpdate? ParseNumberQuality(string phoneNumberId, JsonElement value, DateTimeOffset at) =>
        Bounded(String(value, "display_phone_number"), 32) is { } display
            ? new PhoneNumberQualityUpdate(
                phoneNumberId,
                display,
                Bounded(String(value, "event"), MaxShortText),
                Bounded(String(value, "current_limit"), MaxShortText),
                Bounded(String(value, "old_limit"), MaxShortText),
                Bounded(String(value, "max_daily_conversations_per_business"), MaxShortText),
                at,
                Fingerprint(value))
            : null;

    // A contact entry only adds to messages that carry their own ids: values out of bounds (or not valid Unicode) are
    // left out, not fatal.
    private static WebhookContact ParseContact(JsonElement contact) =>
        new(
            Bounded(SafeString(contact, "wa_id"), 32),
            Bounded(SafeString(contact, "user_id"), 128),
            Bounded(SafeString(contact, "parent_user_id"), 128),
            Bounded(contact.TryGetProperty("profile", out var profile) ? SafeString(profile, "name") : null, 256));

    private static string? SafeString(JsonElement parent, string name)
    {
        try
        {
            return String(parent, name);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static WebhookError ParseError(JsonElement error) =>
        new(
            error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var c) ? c : 0,
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

    private static DateTimeOffset Timestamp(JsonElement parent, string name = "timestamp")
    {
        var raw = SafeString(parent, name);
        return raw is not null && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
    }
}
