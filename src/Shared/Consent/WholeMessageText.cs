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

    /// <summary>Upper-case invariant, NFC, ß as SS, inner whitespace runs collapsed to one space, trailing '!' and '.' removed.</summary>
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

        // Decomposed umlauts (a + U+0308) arrive from some keyboards; compose them so "Ä" is one character either way.
        var composed = trimmed.Normalize(NormalizationForm.FormC).ToUpperInvariant();
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
