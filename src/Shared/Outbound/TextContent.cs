namespace Messaging.Shared.Outbound;

/// <summary>The <c>text</c> object of a free-form message. Link previews are off unless asked for.</summary>
public sealed record TextContent(string Body, bool PreviewUrl = false)
{
    // Records print every member; the body is personal data and must not reach a log through ToString.
    public override string ToString() => $"TextContent {{ Length = {Body.Length}, PreviewUrl = {PreviewUrl} }}";
}
