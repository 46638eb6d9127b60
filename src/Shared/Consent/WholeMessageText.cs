using System.Text;

namespace Messaging.Shared.Consent;

/// <summary>
/// Normalises a whole inbound message for keyword-style matching: people type "  stop ", "Stop!" or "ja." on a
/// phone keyboard, and all of those mean the same word. Anything longer than one keyword is never a match,
/// because "stop please" or "ja, aber ..." may mean something else and is for a human to read.
/// </summary>
internal static class WholeMessageText
{
    /// <summary>Longer inputs cannot be a keyword; refusing them early keeps matching cheap on large messages.</summary>
    private const int MaxLength = 64;

    /// <summary>Upper-case invariant, German umlauts composed, ß as SS, inner whitespace collapsed to one space, trailing '!' and '.' removed.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length > MaxLength)
        {
            return null;
        }

        // Some keyboards send umlauts decomposed (U + U+0308). string.Normalize is a no-op under InvariantGlobalization,
        // so the German umlauts are composed by hand; other scripts are compared as sent.
        var composed = trimmed.ToUpperInvariant()
            .Replace("A\u0308", "Ä", StringComparison.Ordinal)
            .Replace("O\u0308", "Ö", StringComparison.Ordinal)
            .Replace("U\u0308", "Ü", StringComparison.Ordinal);
        var builder = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var c in composed)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            // Invariant upper-casing leaves ß (and capital ẞ) alone; German spells it SS in capitals.
            if (c is 'ß' or 'ẞ')
            {
                builder.Append("SS");
            }
            else
            {
                builder.Append(c);
            }
        }

        var end = builder.Length;
        while (end > 0 && (builder[end - 1] is '!' or '.' || char.IsWhiteSpace(builder[end - 1])))
        {
            end--;
        }

        return end == 0 ? null : builder.ToString(0, end);
    }
}
