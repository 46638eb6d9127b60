namespace Messaging.Shared.Consent.OptInPage;

/// <summary>Which of the page's languages to show: an explicit choice first, then the browser's preference, then German.</summary>
public static class OptInPageLanguage
{
    public const string Default = "de";

    public static IReadOnlyList<string> Supported { get; } = ["de", "en"];

    /// <param name="requested">The <c>lang</c> query or form value, if any.</param>
    /// <param name="acceptedInPreferenceOrder">Language tags from Accept-Language, most preferred first.</param>
    public static string Resolve(string? requested, IEnumerable<string> acceptedInPreferenceOrder)
    {
        ArgumentNullException.ThrowIfNull(acceptedInPreferenceOrder);
        if (Match(requested) is { } chosen)
        {
            return chosen;
        }

        foreach (var tag in acceptedInPreferenceOrder)
        {
            if (Match(tag) is { } preferred)
            {
                return preferred;
            }
        }

        return Default;
    }

    /// <summary>"en", "EN", "en-GB" all mean English; anything unsupported means no match.</summary>
    private static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var primary = tag.Trim().Split('-', 2)[0].ToLowerInvariant();
        return Supported.Contains(primary) ? primary : null;
    }
}
