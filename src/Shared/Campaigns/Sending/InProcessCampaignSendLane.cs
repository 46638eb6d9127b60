using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// LocalHost's lane: the page's pending recipients go out from this process, <see cref="CampaignOptions.SendConcurrency"/>
/// at a time, paced by the process's throughput limiter (the one process is the whole business number).
/// </summary>
public sealed class InProcessCampaignSendLane(CampaignRecipientSender sender, IOptions<CampaignOptions> options) : ICampaignSendLane
{
    public async Task<CampaignLaneResult> SendAsync(CampaignEffect.SendPage page, IReadOnlyList<CampaignRecipientEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(rows);
        var throttled = 0;
        string? pauseReason = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SendConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(rows.Where(r => r.State == nameof(RecipientState.Pending)), parallel, async (row, ct) =>
        {
            var outcome = await sender.SendAsync(CampaignSend.For(page, row), row, ct);
            if (outcome.Throttled)
            {
                Interlocked.Increment(ref throttled);
            }

            if (outcome.PauseReason is not null)
            {
                pauseReason = outcome.PauseReason;
            }
        });

        return new CampaignLaneResult(rows, throttled, pauseReason);
    }
}
