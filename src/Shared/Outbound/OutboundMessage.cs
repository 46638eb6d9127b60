namespace Messaging.Shared.Outbound;

/// <summary>What to send: either free-form text (only inside the service window) or an approved template.</summary>
public sealed record OutboundMessage
{
    private OutboundMessage(string type, TextContent? text, TemplateContent? template, InteractiveContent? interactive = null)
    {
        Type = type;
        Text = text;
        Template = template;
        Interactive = interactive;
    }

    /// <summary>The Cloud API <c>type</c>: <c>text</c>, <c>interactive</c> or <c>template</c>.</summary>
    public string Type { get; }

    public TextContent? Text { get; }

    public TemplateContent? Template { get; }

    public InteractiveContent? Interactive { get; }

    public bool IsFreeForm => Text is not null || Interactive is not null;

    public static OutboundMessage FromText(string body, bool previewUrl = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(body);
        return new("text", new TextContent(body, previewUrl), null);
    }

    /// <summary>A question with reply buttons (id, title), at most three (Cloud API limit).</summary>
    public static OutboundMessage FromReplyButtons(string body, params (string Id, string Title)[] buttons)
    {
        ArgumentException.ThrowIfNullOrEmpty(body);
        if (buttons is not { Length: >= 1 and <= 3 })
        {
            throw new ArgumentException("One to three reply buttons.", nameof(buttons));
        }

        return new("interactive", null, null, new InteractiveContent(
            "button", new InteractiveBody(body), new InteractiveAction([.. buttons.Select(b => new InteractiveButton(new InteractiveReply(b.Id, b.Title)))])));
    }

    public static OutboundMessage FromTemplate(string name, string languageCode, params TemplateComponent[] components)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(languageCode);
        return new("template", null, new TemplateContent(name, new TemplateLanguage(languageCode), components));
    }
}
