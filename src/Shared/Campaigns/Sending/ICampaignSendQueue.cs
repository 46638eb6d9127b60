namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// The <c>campaign-sends</c> queue in Azure: a Service Bus queue with sessions (SessionId = the business phone number
/// id) and duplicate detection (MessageId = <see cref="CampaignSend.DeduplicationId"/>). An enqueue that returns is durable.
/// </summary>
public interface ICampaignSendQueue
{
    Task EnqueueAsync(IReadOnlyList<CampaignSend> sends, CancellationToken cancellationToken);
}
