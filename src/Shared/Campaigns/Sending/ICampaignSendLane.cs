namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// How a page's pending recipients reach the consent gate and the outbox at Meta's pace for the business number
/// (<c>Meta:MessagesPerSecond</c>). LocalHost is one process, so its throughput limiter is the whole pace
/// (<see cref="InProcessCampaignSendLane"/>). In Azure, Flex Consumption runs many instances, each with its own
/// limiter: the sends travel on the <c>campaign-sends</c> Service Bus queue in one session per business number, so one
/// consumer at a time sends them (<see cref="QueuedCampaignSendLane"/>).
/// </summary>
public interface ICampaignSendLane
{
    /// <summary>Tries every pending row of the page once; returns the page's rows as they stand afterwards.</summary>
    Task<CampaignLaneResult> SendAsync(CampaignEffect.SendPage page, IReadOnlyList<CampaignRecipientEntity> rows, CancellationToken cancellationToken);
}
