using Azure.Messaging.ServiceBus;
using Messaging.Functions.Hosting;
using Messaging.Shared.Campaigns.Sending;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Campaigns;

/// <summary>
/// The consumer of <c>campaign-sends</c>. Sessions: the session id is the business number, so one instance at a time
/// receives a number's batch and its throughput limiter paces the whole number. Completes the batch when this returns;
/// an exception abandons it for redelivery (every send in it is idempotent). LocalHost has no counterpart queue: its
/// campaign pages send in process (InProcessCampaignSendLane).
/// </summary>
public sealed class CampaignSendTrigger(CampaignSendHandler handler)
{
    [Function("SendCampaignMessages")]
    public Task RunAsync(
        [ServiceBusTrigger(ServiceBusCampaignSendQueue.QueueName, Connection = FunctionsHostServiceExtensions.ServiceBusConnection,
            IsSessionsEnabled = true, IsBatched = true, AutoCompleteMessages = true)] ServiceBusReceivedMessage[] messages,
        CancellationToken cancellationToken) =>
        handler.HandleAsync([.. messages.Select(m => m.Body.ToMemory())], cancellationToken);
}
