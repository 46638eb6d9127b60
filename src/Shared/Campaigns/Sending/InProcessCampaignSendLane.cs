using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// LocalHost's lane: the page's pending recipients go out from this process, <see cref="CampaignOptions.SendConcurrency"/>
/// at a time, paced by the process's throughput limiter (the one process is the whole business number). Each page's
/// rows are saved in one batch once its last send has finished, instead of a write per recipient; the outbox, not the
/// row, is what keeps a recipient from getting the message twice.
/// </summary>
public sealed class InProcessCampaignSendLane(CampaignRecipientSender sender, CampaignRecipientStore recipients, IOptions<CampaignOptions> options) : ICampaignSendLane
{
    public async Task<CampaignLaneResult> SendAsync(CampaignEffect.SendPage page, IReadOnlyList<CampaignRecipientEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(rows);
        var throttled = 0;
        string? pauseReason = null;
        var pending = rows.Where(r => r.State == nameof(RecipientState.Pending)).ToList();
        var pages = pending.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new PageRows(g.ToList()), StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SendConcurrency), CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(pending, parallel, async (row, ct) =>
            {
                var outcome = await sender.TryAsync(CampaignSend.For(page, row), row, ct);
                if (outcome.Throttled)
                {
                    Interlocked.Increment(ref throttled);
                }

                if (outcome.PauseReason is not null)
                {
                    pauseReason = outcome.PauseReason;
                }

                var rowsOfPage = pages[row.PartitionKey];
                if (Interlocked.Decrement(ref rowsOfPage.Untried) == 0)
                {
                    await recipients.SaveAllAsync(rowsOfPage.Rows, ct);
                    rowsOfPage.Saved = true;
                }
            });
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // What was sent before the failure is worth recording now; the rerun of the page would find it anyway.
            await SaveTriedAsync(pages.Values, page.Round);
            throw;
        }

        return new CampaignLaneResult(rows, throttled, pauseReason);
    }

    private async Task SaveTriedAsync(IEnumerable<PageRows> pages, int round)
    {
        try
        {
            await recipients.SaveAllAsync(pages.Where(p => !p.Saved).SelectMany(p => p.Rows).Where(r => r.AttemptedRound == round), CancellationToken.None);
        }
        catch (Azure.RequestFailedException)
        {
            // Storage is what failed: the rows stay pending and the page's rerun settles them from the outbox.
        }
    }

    private sealed class PageRows(List<CampaignRecipientEntity> rows)
    {
        public List<CampaignRecipientEntity> Rows { get; } = rows;

        public int Untried = rows.Count;

        public volatile bool Saved;
    }
}
