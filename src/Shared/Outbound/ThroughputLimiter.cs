using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Messaging.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Keeps each business phone number under Meta's throughput (80 messages/s by default, §3.1) with one token bucket per
/// number: a burst up to the per-second rate, then one second's worth of tokens each second; callers beyond that wait
/// in FIFO order. This is per process: with several instances, configure <see cref="MetaOptions.MessagesPerSecond"/>
/// as the share of each one; 130429 responses are still retried with back-off if the shares are too generous.
/// </summary>
/// <remarks>
/// Not driven by a <see cref="TimeProvider"/>: <see cref="TokenBucketRateLimiter"/> measures elapsed time with
/// Stopwatch even when replenished manually, so a fake clock cannot advance it. Tests assert permit counts and queueing.
/// </remarks>
public sealed class ThroughputLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<TokenBucketRateLimiter>> _buckets = new(StringComparer.Ordinal);
    private readonly int _messagesPerSecond;
    private readonly int _queueLimit;

    public ThroughputLimiter(IOptions<MetaOptions> meta, IOptions<OutboundOptions> outbound)
        : this(meta.Value.MessagesPerSecond, outbound.Value.PermitQueueLimit)
    {
    }

    public ThroughputLimiter(int messagesPerSecond, int queueLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLimit, 0);
        _messagesPerSecond = messagesPerSecond;
        _queueLimit = queueLimit;
    }

    /// <summary>
    /// Waits until <paramref name="phoneNumberId"/> may send one more message. False when too many sends are already
    /// waiting: the caller treats that as throttled instead of queueing without bound.
    /// </summary>
    public async ValueTask<bool> WaitForPermitAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(phoneNumberId);
        var bucket = _buckets.GetOrAdd(phoneNumberId, _ => new Lazy<TokenBucketRateLimiter>(CreateBucket)).Value;
        using var lease = await bucket.AcquireAsync(1, cancellationToken);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values.Where(b => b.IsValueCreated))
        {
            bucket.Value.Dispose();
        }
    }

    private TokenBucketRateLimiter CreateBucket() => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = _messagesPerSecond,
        TokensPerPeriod = _messagesPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = _queueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });
}
