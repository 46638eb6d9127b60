namespace Messaging.Shared.Outbound;

/// <summary>What to send: either free-form text (only inside the service window) or an approved template.</summary>
public sealed record OutboundMessage
{
    private OutboundMessage(string type, TextContent? text, TemplateContent? template)
    {
        Type = type;
        Text = text;
        Template = template;
    }

    /// <summary>The Cloud API <c>type</c>: <c>text</c> or <c>template</c>.</summary>
    public string Type { get; }

    public TextContent? Text { get; }

    public TemplateContent? Template { get; }

    public bool IsFreeForm => Text is not null;

    public static OutboundMessage FromText(string body, bool previewUrl = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(body);
        return new("text", new TextContent(body, previewUrl), null);
    }

    public static OutboundMessage FromTemplate(string name, string languageCode, params TemplateComponent[] components)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(languageCode);
        return new("template", null, new TemplateContent(name, new TemplateLanguage(languageCode), components));
    }
}
