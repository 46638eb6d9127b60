using System.Text;

namespace Messaging.Shared.Storage;

/// <summary>Table keys may not contain / \ # ? or control characters and are limited to 1 KiB.</summary>
public static class TableKeys
{
    public static string Sanitize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(Math.Min(value.Length, 256));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, 256)))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
