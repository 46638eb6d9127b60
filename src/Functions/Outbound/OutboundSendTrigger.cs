using Azure.Messaging.ServiceBus;
using Messaging.Functions.Hosting;
using Messaging.Shared.Consent.Sending;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Outbound;

/// <summary>
/// Azure's counterpart of LocalHost's OutboundSendWorker: one consent-gated send per message. Completes the message
/// when this returns (sent, refused, or queued again as a delayed retry by the handler); an exception abandons it for
/// redelivery. Sessions: the queue's session id is the business number, so one consumer at a time paces its sends.
/// </summary>
public sealed class OutboundSendTrigger(OutboundSendHandler handler)
{
    [Function("SendOutboundMessage")]
    public Task RunAsync(
        [ServiceBusTrigger(ServiceBusOutboundSendQueue.QueueName, Connection = FunctionsHostServiceExtensions.ServiceBusConnection,
            IsSessionsEnabled = true, AutoCompleteMessages = true)] ServiceBusReceivedMessage message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message.Body.ToMemory(), cancellationToken);
}
