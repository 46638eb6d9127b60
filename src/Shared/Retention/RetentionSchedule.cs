using System.Globalization;

namespace Messaging.Shared.Retention;

/// <summary>
/// The sweep's daily time, written as the Functions timer writes it (NCRONTAB with seconds, "0 30 2 * * *"), so both
/// hosts read one setting. Only daily schedules (fixed second, minute and hour, every day) are accepted: a sweep is a
/// daily job, and a schedule LocalHost could not honour must stop the host rather than silently differ from Azure.
/// </summary>
public sealed record RetentionSchedule(int Hour, int Minute, int Second)
{
    public static RetentionSchedule? TryParse(string? text)
    {
        var parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || parts[3] != "*" || parts[4] != "*" || parts[5] != "*")
        {
            return null;
        }

        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var second) && second is >= 0 and < 60
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minute) && minute is >= 0 and < 60
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour is >= 0 and < 24
            ? new RetentionSchedule(hour, minute, second)
            : null;
    }

    /// <summary>The first run strictly after <paramref name="now"/> (UTC, as the Functions timer runs by default).</summary>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var today = new DateTimeOffset(utc.Year, utc.Month, utc.Day, Hour, Minute, Second, TimeSpan.Zero);
        return today > utc ? today : today.AddDays(1);
    }
}
