using Messaging.Shared.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// Azure's lane: the page's pending recipients are put on the <c>campaign-sends</c> queue, whose one consumer per
/// business number (<see cref="CampaignSendHandler"/>) sends them at the number's pace whichever instance it runs on.
/// The page waits until each was tried in this round (its row says so) or a generous deadline passes; what is still
/// untried then counts as pending, so the campaign tries it again in a later round, and the outbox keeps that from
/// ever sending twice.
/// </summary>
public sealed class QueuedCampaignSendLane(
    ICampaignSendQueue queue,
    CampaignRecipientStore recipients,
    IOptions<MetaOptions> meta,
    TimeProvider time,
    ILogger<QueuedCampaignSendLane> logger) : ICampaignSendLane
{
    /// <summary>Time to wait on top of the page's share of the pace: queue latency, a consumer starting, other campaigns ahead.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<CampaignLaneResult> SendAsync(CampaignEffect.SendPage page, IReadOnlyList<CampaignRecipientEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(rows);
        var sends = rows.Where(r => r.State == nameof(RecipientState.Pending)).Select(r => CampaignSend.For(page, r)).ToList();
        if (sends.Count == 0)
        {
            return new CampaignLaneResult(rows, 0, null);
        }

        await queue.EnqueueAsync(sends, cancellationToken);
        var waiting = sends.Select(s => s.ContactKey).ToHashSet(StringComparer.Ordinal);
        var deadline = time.GetUtcNow() + Slack + TimeSpan.FromSeconds(3.0 * sends.Count / Math.Max(1, meta.Value.MessagesPerSecond));
        var partitions = rows.Select(r => r.PartitionKey).Distinct(StringComparer.Ordinal).ToList();
        var current = rows;
        while (true)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
            var read = new List<CampaignRecipientEntity>(rows.Count);
            foreach (var partition in partitions)
            {
                read.AddRange(await recipients.ReadPartitionAsync(partition, cancellationToken));
            }

            current = read;
            var untried = current.Count(r => waiting.Contains(r.ContactKey) && !TriedIn(r, page.Round));
            if (untried == 0)
            {
                break;
            }

            if (time.GetUtcNow() >= deadline)
            {
                logger.LogWarning("Campaign {CampaignId} page {Page} round {Round}: {Untried} sends not tried before the deadline; they stay pending",
                    page.CampaignId, page.Page, page.Round, untried);
                break;
            }
        }

        var thisRound = current.Where(r => waiting.Contains(r.ContactKey) && r.AttemptedRound == page.Round).ToList();
        return new CampaignLaneResult(
            current,
            thisRound.Count(r => r.AttemptNote == CampaignRecipientSender.ThrottledNote),
            thisRound.Select(r => r.AttemptNote).FirstOrDefault(n => n is not null && n != CampaignRecipientSender.ThrottledNote));
    }

    /// <summary>Settled, or tried in this round or a later one.</summary>
    public static bool TriedIn(CampaignRecipientEntity row, int round)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.State != nameof(RecipientState.Pending) || row.AttemptedRound >= round;
    }
}
