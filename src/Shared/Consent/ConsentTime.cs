namespace Messaging.Shared.Consent;

/// <summary>
/// The one representation of time in the consent ledger: UTC, whole seconds. Table Storage and most proof
/// exports keep no more, so truncating up front keeps an event equal to itself after a round trip.
/// </summary>
public static class ConsentTime
{
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
