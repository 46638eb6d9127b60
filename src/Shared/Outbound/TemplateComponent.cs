namespace Messaging.Shared.Outbound;

/// <summary>
/// A template component as the Cloud API expects it. Quick-reply buttons carry the payload that comes back in the
/// <c>type: "button"</c> webhook when the user taps them, which is how double opt-in confirmations are recognised.
/// </summary>
public sealed record TemplateComponent(string Type, IReadOnlyList<TemplateParameter> Parameters, string? SubType = null, string? Index = null)
{
    /// <summary>Positional body parameters; their number and order must match the approved template (else 132000).</summary>
    public static TemplateComponent Body(params string[] texts) => new("body", [.. texts.Select(TemplateParameter.FromText)]);

    public static TemplateComponent QuickReplyButton(int index, string payload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentException.ThrowIfNullOrEmpty(payload);
        // Meta documents the button index as a string.
        return new("button", [TemplateParameter.FromPayload(payload)], "quick_reply", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
