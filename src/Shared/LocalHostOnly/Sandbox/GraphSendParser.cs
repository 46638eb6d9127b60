using System.Text.Json;

namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>
/// Checks a <c>POST /{version}/{phone-number-id}/messages</c> body the way Graph does for the basics (reference §2.6),
/// so that a request our client builds wrongly fails in the sandbox too instead of first failing in production.
/// It deliberately does not know approved templates: any template name is accepted.
/// </summary>
public static class GraphSendParser
{
    public const int MaxTextLength = 4096;

    public static GraphSendParse Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return GraphSendParse.Refused(100, "Invalid parameter", "The request body is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return GraphSendParse.Refused(100, "Invalid parameter", "The request body must be a JSON object.");
            }

            var product = String(root, "messaging_product");
            if (product is null)
            {
                return GraphSendParse.Refused(100, "Invalid parameter", "The parameter messaging_product is required.");
            }

            if (product != "whatsapp")
            {
                return GraphSendParse.Refused(100, "Invalid parameter", "Param messaging_product must be one of {WHATSAPP}.");
            }

            var to = String(root, "to");
            if (string.IsNullOrWhiteSpace(to))
            {
                return GraphSendParse.Refused(131008, "Required parameter is missing", "The parameter to is required.");
            }

            var waId = WaIdOf(to);
            if (waId is null)
            {
                return GraphSendParse.Refused(131009, "Parameter value is not valid", "The parameter to is not a valid phone number.");
            }

            var type = String(root, "type") ?? "text";
            var bizOpaque = String(root, "biz_opaque_callback_data");
            return type switch
            {
                "text" => ParseText(root, to, waId, bizOpaque),
                "template" => ParseTemplate(root, to, waId, bizOpaque),
                "interactive" => ParseReplyButtons(root, to, waId, bizOpaque),
                _ => GraphSendParse.Refused(100, "Invalid parameter", "The sandbox supports message types text, interactive (reply buttons) and template."),
            };
        }
    }

    /// <summary>Meta's <c>wa_id</c> for an addressed number: its digits, without <c>+</c> or formatting.</summary>
    public static string? WaIdOf(string to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var trimmed = to.Trim();
        if (trimmed.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')')) || trimmed.LastIndexOf('+') > 0)
        {
            return null;
        }

        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        return IsWaId(digits) ? digits : null;
    }

    /// <summary>A phone-number <c>wa_id</c>: 8 to 15 digits (E.164 without the plus).</summary>
    public static bool IsWaId(string? value) => value is { Length: >= 8 and <= 15 } && value.All(char.IsAsciiDigit) && value[0] != '0';

    /// <summary>Reply buttons: the body text and each button's id, which comes back as the tap's payload.</summary>
    private static GraphSendParse ParseReplyButtons(JsonElement root, string to, string waId, string? bizOpaque)
    {
        if (!root.TryGetProperty("interactive", out var interactive) || interactive.ValueKind != JsonValueKind.Object || String(interactive, "type") != "button"
            || !interactive.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(String(body, "text"))
            || !interactive.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("buttons", out var buttons) || buttons.ValueKind != JsonValueKind.Array || buttons.GetArrayLength() is < 1 or > 3)
        {
            return GraphSendParse.Refused(131008, "Required parameter is missing", "interactive needs type button, body.text and one to three action.buttons.");
        }

        var replies = new List<SandboxQuickReply>();
        foreach (var button in buttons.EnumerateArray())
        {
            var id = button.ValueKind == JsonValueKind.Object && button.TryGetProperty("reply", out var reply) && reply.ValueKind == JsonValueKind.Object ? String(reply, "id") : null;
            if (string.IsNullOrEmpty(id))
            {
                return GraphSendParse.Refused(131009, "Parameter value is not valid", "Every reply button needs reply.id.");
            }

            replies.Add(new SandboxQuickReply(replies.Count, id));
        }

        return GraphSendParse.Accepted(new SandboxSend(to, waId, "interactive", String(body, "text"), null, null, [], replies, bizOpaque));
    }

    private static GraphSendParse ParseText(JsonElement root, string to, string waId, string? bizOpaque)
    {
        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.Object)
        {
            return GraphSendParse.Refused(131008, "Required parameter is missing", "The parameter text is required for type text.");
        }

        var body = String(text, "body");
        if (string.IsNullOrWhiteSpace(body))
        {
            return GraphSendParse.Refused(131008, "Required parameter is missing", "The parameter text.body is required.");
        }

        if (body.Length > MaxTextLength)
        {
            return GraphSendParse.Refused(131009, "Parameter value is not valid", $"text.body is longer than {MaxTextLength} characters.");
        }

        return GraphSendParse.Accepted(new SandboxSend(to, waId, "text", body, null, null, [], [], bizOpaque));
    }

    private static GraphSendParse ParseTemplate(JsonElement root, string to, string waId, string? bizOpaque)
    {
        if (!root.TryGetProperty("template", out var template) || template.ValueKind != JsonValueKind.Object)
        {
            return GraphSendParse.Refused(131008, "Required parameter is missing", "The parameter template is required for type template.");
        }

        var name = String(template, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return GraphSendParse.Refused(131008, "Required parameter is missing", "The parameter template.name is required.");
        }

        var language = template.TryGetProperty("language", out var lang) ? String(lang, "code") : null;
        if (string.IsNullOrWhiteSpace(language))
        {
            return GraphSendParse.Refused(131008, "Required parameter is missing", "The parameter template.language.code is required.");
        }

        var bodyParameters = new List<string>();
        var quickReplies = new List<SandboxQuickReply>();
        if (template.TryGetProperty("components", out var components))
        {
            if (components.ValueKind != JsonValueKind.Array)
            {
                return GraphSendParse.Refused(100, "Invalid parameter", "template.components must be an array.");
            }

            foreach (var component in components.EnumerateArray())
            {
                var error = ReadComponent(component, bodyParameters, quickReplies);
                if (error is not null)
                {
                    return error;
                }
            }
        }

        return GraphSendParse.Accepted(new SandboxSend(to, waId, "template", null, name, language, bodyParameters, quickReplies, bizOpaque));
    }

    private static GraphSendParse? ReadComponent(JsonElement component, List<string> bodyParameters, List<SandboxQuickReply> quickReplies)
    {
        var kind = component.ValueKind == JsonValueKind.Object ? String(component, "type") : null;
        var parameters = component.ValueKind == JsonValueKind.Object && component.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList()
            : [];
        switch (kind)
        {
            case "body":
                foreach (var parameter in parameters)
                {
                    var text = String(parameter, "text");
                    if (String(parameter, "type") == "text" && string.IsNullOrEmpty(text))
                    {
                        return GraphSendParse.Refused(131008, "Required parameter is missing", "A body text parameter has no text.");
                    }

                    bodyParameters.Add(text ?? "");
                }

                return null;
            case "button" when String(component, "sub_type") == "quick_reply":
                var payload = parameters.Select(e => String(e, "payload")).FirstOrDefault(v => !string.IsNullOrEmpty(v));
                if (payload is null || !int.TryParse(String(component, "index"), System.Globalization.CultureInfo.InvariantCulture, out var index) || index < 0)
                {
                    return GraphSendParse.Refused(131009, "Parameter value is not valid", "A quick-reply button needs an index and a payload parameter.");
                }

                quickReplies.Add(new SandboxQuickReply(index, payload));
                return null;
            case null:
                return GraphSendParse.Refused(100, "Invalid parameter", "Every template component needs a type.");
            default:
                // Headers, URL buttons and the like are accepted and simply not shown.
                return null;
        }
    }

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
