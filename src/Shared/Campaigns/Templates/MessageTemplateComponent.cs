using System.Text.Json.Serialization;

namespace Messaging.Shared.Campaigns.Templates;

/// <summary>A template component: HEADER, BODY, FOOTER (with text) or BUTTONS (with buttons).</summary>
public sealed record MessageTemplateComponent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("format")] string? Format = null,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("buttons")] IReadOnlyList<MessageTemplateButton>? Buttons = null);
