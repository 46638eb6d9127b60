using System.Globalization;
using System.Text;
using System.Xml;

namespace Messaging.Shared.Retention;

/// <summary>
/// Retention periods as people and auditors read them: ISO 8601 durations (<c>P180D</c>, <c>PT20S</c>). Days are the
/// largest unit written, because months and years have no fixed length and a record must say exactly what runs.
/// </summary>
public static class Iso8601Duration
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A retention period is never negative.");
        }

        if (value == TimeSpan.Zero)
        {
            return "PT0S";
        }

        var text = new StringBuilder("P");
        if (value.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Days}D");
        }

        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond / (decimal)TimeSpan.TicksPerSecond);
        if (value.Hours > 0 || value.Minutes > 0 || seconds > 0)
        {
            text.Append('T');
            if (value.Hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{value.Hours}H");
            }

            if (value.Minutes > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}M");
            }

            if (seconds > 0)
            {
                text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return text.ToString();
    }

    /// <summary>Accepts an ISO 8601 duration (<c>P14D</c>) or .NET's TimeSpan text (<c>14.00:00:00</c>).</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }
}
