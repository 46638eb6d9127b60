namespace Messaging.Shared.Consent.Keywords;

/// <summary>
/// Recognises STOP and START keywords sent as the whole message (Art. 21(5) GDPR: objection by automated means).
/// Case, surrounding whitespace, repeated inner whitespace and trailing '!' or '.' do not matter; any other
/// text around the keyword does ("stop please" is not a keyword). A word configured in both lists counts as
/// STOP, because wrongly stopping is recoverable and wrongly starting is not.
/// </summary>
public sealed class ConsentKeywords
{
    private readonly HashSet<string> _stop;
    private readonly HashSet<string> _start;

    public ConsentKeywords(ConsentKeywordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _stop = NormalizedSet(options.EffectiveStop);
        _start = NormalizedSet(options.EffectiveStart);
    }

    /// <summary>The defaults, for callers without configuration.</summary>
    public static ConsentKeywords Default { get; } = new(new ConsentKeywordOptions());

    public KeywordMatch Match(string? text)
    {
        var normalized = WholeMessageText.Normalize(text);
        if (normalized is null)
        {
            return KeywordMatch.None;
        }

        if (_stop.Contains(normalized))
        {
            return KeywordMatch.Stop;
        }

        return _start.Contains(normalized) ? KeywordMatch.Start : KeywordMatch.None;
    }

    private static HashSet<string> NormalizedSet(IEnumerable<string> words)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (WholeMessageText.Normalize(word) is { } normalized)
            {
                set.Add(normalized);
            }
        }

        return set;
    }
}
