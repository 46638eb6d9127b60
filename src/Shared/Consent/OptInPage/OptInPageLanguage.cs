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
    /// <summary>
    /// The page language for a request: <paramref name="requested"/> (the <c>lang</c> parameter) when supported,
    /// else the best supported entry of the raw <c>Accept-Language</c> header, else German.
    /// </summary>
    public static string Resolve(string? requested, string? acceptLanguageHeader) =>
        Resolve(requested, PreferenceOrder(acceptLanguageHeader));

    /// <summary>The tags of an <c>Accept-Language</c> header, most wanted first; entries with q=0 are refusals.</summary>
    public static IEnumerable<string> PreferenceOrder(string? acceptLanguageHeader) =>
        (acceptLanguageHeader ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => System.Net.Http.Headers.StringWithQualityHeaderValue.TryParse(entry, out var parsed) ? parsed : null)
            .OfType<System.Net.Http.Headers.StringWithQualityHeaderValue>()
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1.0)
            .Select(l => l.Value);

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
