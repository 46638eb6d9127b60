namespace Messaging.Shared.Outbound;

/// <summary>One parameter of a template component: <c>{"type":"text","text":…}</c> or <c>{"type":"payload","payload":…}</c>.</summary>
public sealed record TemplateParameter(string Type, string? Text = null, string? Payload = null)
{
    public static TemplateParameter FromText(string text) => new("text", Text: text);

    public static TemplateParameter FromPayload(string payload) => new("payload", Payload: payload);

    // Body parameters are often names or other personal data; keep them out of ToString.
    public override string ToString() => $"TemplateParameter {{ Type = {Type} }}";
}
