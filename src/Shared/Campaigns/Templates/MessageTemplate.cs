using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Messaging.Shared.Campaigns.Templates;

/// <summary>
/// A WhatsApp message template as Graph's <c>GET /{waba-id}/message_templates</c> returns it (name, language,
/// category MARKETING|UTILITY|AUTHENTICATION, status APPROVED|PENDING|REJECTED|PAUSED|DISABLED, components).
/// </summary>
public sealed partial record MessageTemplate(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("components")] IReadOnlyList<MessageTemplateComponent> Components,
    [property: JsonPropertyName("id")] string? Id = null)
{
    public const string Approved = "APPROVED";

    /// <summary>The quality score a <c>message_template_quality_update</c> webhook reported (GREEN, YELLOW, RED), if any.</summary>
    [JsonPropertyName("quality")]
    public string? Quality { get; init; }

    [JsonIgnore]
    public bool IsMarketing => string.Equals(Category, "MARKETING", StringComparison.OrdinalIgnoreCase);

    [JsonIgnore]
    public bool IsApproved => string.Equals(Status, Approved, StringComparison.OrdinalIgnoreCase);

    /// <summary>Distinct placeholders ({{1}}, {{2}} or named {{first_name}}) in the body: what each recipient must supply.</summary>
    [JsonPropertyName("bodyParameterCount")]
    public int BodyParameterCount => Body is { } body ? Placeholder().Matches(body).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Count() : 0;

    [JsonIgnore]
    public string? Body => Components.FirstOrDefault(c => string.Equals(c.Type, "BODY", StringComparison.OrdinalIgnoreCase))?.Text;

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
