using Messaging.Shared.Outbound;

namespace Messaging.Shared.Tests.Outbound;

public sealed class ThroughputLimiterTests
{
    [Fact]
    public async Task Grants_a_burst_of_one_seconds_rate_then_queues_the_next_send()
    {
        using var limiter = new ThroughputLimiter(messagesPerSecond: 3, queueLimit: 10);
        for (var i = 0; i < 3; i++)
        {
            var permit = limiter.WaitForPermitAsync("phone-a", CancellationToken.None);
            Assert.True(permit.IsCompleted);
            Assert.True(await permit);
        }

        var queued = limiter.WaitForPermitAsync("phone-a", CancellationToken.None).AsTask();
        Assert.False(queued.IsCompleted);
        // Replenishment eventually releases it; the generous bound only guards against a hang, not a speed claim.
        Assert.True(await queued.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Each_business_phone_number_has_its_own_bucket()
    {
        using var limiter = new ThroughputLimiter(messagesPerSecond: 1, queueLimit: 10);
        Assert.True(await limiter.WaitForPermitAsync("phone-a", CancellationToken.None));

        var otherNumber = limiter.WaitForPermitAsync("phone-b", CancellationToken.None);
        Assert.True(otherNumber.IsCompleted);
        Assert.True(await otherNumber);
    }

    [Fact]
    public async Task A_queued_wait_ends_when_cancelled()
    {
        using var limiter = new ThroughputLimiter(messagesPerSecond: 1, queueLimit: 10);
        Assert.True(await limiter.WaitForPermitAsync("phone-a", CancellationToken.None));
        using var cts = new CancellationTokenSource();

        var queued = limiter.WaitForPermitAsync("phone-a", cts.Token).AsTask();
        Assert.False(queued.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    [Fact]
    public async Task Refuses_instead_of_queueing_beyond_the_queue_limit()
    {
        using var limiter = new ThroughputLimiter(messagesPerSecond: 1, queueLimit: 1);
        Assert.True(await limiter.WaitForPermitAsync("phone-a", CancellationToken.None));
        var queued = limiter.WaitForPermitAsync("phone-a", CancellationToken.None).AsTask();

        var overflow = limiter.WaitForPermitAsync("phone-a", CancellationToken.None);

        Assert.True(overflow.IsCompleted);
        Assert.False(await overflow);
        Assert.True(await queued.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
