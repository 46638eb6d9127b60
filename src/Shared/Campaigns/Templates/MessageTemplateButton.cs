using System.Text.Json.Serialization;

namespace Messaging.Shared.Campaigns.Templates;

/// <summary>A template button: QUICK_REPLY, URL, PHONE_NUMBER, … with its label.</summary>
public sealed record MessageTemplateButton(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("text")] string Text);
