using Messaging.Shared.Campaigns.Sending;
using Messaging.Shared.Events;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// Runs a campaign's page: every pending recipient goes through <see cref="CampaignRecipientSender"/> (the consent gate
/// at this very moment, then the outbox under the send id "campaign:{id}:{contactKey}:{generation}", so a page run
/// twice after a crash sends nobody twice), carried by the host's <see cref="ICampaignSendLane"/> at Meta's pace for
/// the business number. Returns the page's tally for the decider.
/// </summary>
public sealed class CampaignPageSender(
    CampaignRecipientStore recipients,
    CampaignStore campaigns,
    ICampaignSendLane lane,
    TimeProvider time,
    ILogger<CampaignPageSender> logger,
    EventOutbox? events = null) : IWorkflowEffects<CampaignEffect, CampaignInput>
{
    private const int PageReadConcurrency = 8;

    public static string SendId(string campaignId, string contactKey, int generation) => CampaignRecipientSender.SendId(campaignId, contactKey, generation);

    public async Task<CampaignInput?> ExecuteAsync(CampaignEffect effect, CancellationToken cancellationToken)
    {
        if (effect is CampaignEffect.RecordStatus record)
        {
            await campaigns.RecordStatusAsync(record.Snapshot, cancellationToken);
            if (events is not null && CampaignCompletedEvent.Of(record.Snapshot) is { } completed)
            {
                // Part of the effect of the step that completed the campaign, retried with it; the outbox appends it once.
                await events.AppendAsync(completed.Partition, completed.ChangeId, EventTypes.CampaignCompleted, completed.At, completed.Data, null, cancellationToken);
            }

            return null;
        }

        if (effect is not CampaignEffect.SendPage page)
        {
            throw new ArgumentOutOfRangeException(nameof(effect), effect.GetType().Name, "Not a campaign effect.");
        }

        // One dispatch may cover several pages (Campaigns:DispatchSeconds at the cap): the lane gets all their rows,
        // read several pages at a time (a hundred one after another would hold up the first send at 1,000/s).
        var pages = new IReadOnlyList<CampaignRecipientEntity>[Math.Max(1, page.Pages)];
        await Parallel.ForAsync(0, pages.Length, new ParallelOptions { MaxDegreeOfParallelism = PageReadConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            pages[i] = await recipients.ReadPageAsync(page.CampaignId, page.Page + i, ct, page.Audience));
        var read = pages.SelectMany(p => p).ToList();

        var (rows, throttled, pauseReason) = await lane.SendAsync(page, read, cancellationToken);
        var tally = CampaignTally.Empty;
        var pending = 0;
        foreach (var row in rows)
        {
            tally = Enum.Parse<RecipientState>(row.State) switch
            {
                RecipientState.Sent => tally.WithSent(),
                RecipientState.Skipped => tally.WithSkipped(row.Outcome ?? "skipped"),
                RecipientState.Failed => tally.WithFailed(row.Outcome ?? "failed"),
                _ => tally,
            };
            pending += row.State == nameof(RecipientState.Pending) ? 1 : 0;
        }

        logger.LogInformation("Campaign {CampaignId} page {Page} round {Round}: {Sent} sent, {Pending} pending, throttled {Throttled}",
            page.CampaignId, page.Page, page.Round, tally.Sent, pending, throttled);
        return new CampaignInput.PageSent(page.Page, page.Round, tally, pending, throttled > 0, pauseReason, time.GetUtcNow());
    }
}
