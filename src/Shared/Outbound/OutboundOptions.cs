using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Outbound;

/// <summary>Timeouts, retries and outbox timing for outbound messages (section <c>Outbound</c>).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Longest a single HTTP attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest one send may take including all retries and back-off.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);

    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First back-off delay; doubles per attempt (with jitter) unless Meta sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An outbox row still <c>Attempting</c> after this long belongs to a sender that crashed or hung. It must be far
    /// longer than <see cref="TotalTimeout"/> plus the longest throughput wait, so a live sender is never declared dead.
    /// </summary>
    public TimeSpan AttemptingStaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many sends may wait for a throughput permit per phone number before further ones fail as throttled.</summary>
    [Range(1, 1_000_000)]
    public int PermitQueueLimit { get; set; } = 10_000;

    /// <summary>131049 asks to wait at least 24 hours before trying the same user again.</summary>
    public TimeSpan EcosystemCapBackoff { get; set; } = TimeSpan.FromHours(24);
}
