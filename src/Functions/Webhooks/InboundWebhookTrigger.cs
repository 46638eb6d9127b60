using Azure.Messaging.ServiceBus;
using Messaging.Functions.Hosting;
using Messaging.Shared.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Webhooks;

/// <summary>
/// Azure's counterpart of LocalHost's InboundQueueWorker. Completes the message when this returns (processed or
/// parked); any exception abandons it for redelivery. The
/// processor parks after <see cref="InboundWebhookProcessor.MaxAttempts"/>, below the queue's maxDeliveryCount (10).
/// Workflow signals raised during processing go onto the workflow queue (WorkflowRequestTrigger applies them).
/// </summary>
public sealed class InboundWebhookTrigger(QueuedWebhookHandler handler)
{
    [Function("ProcessInboundWebhook")]
    public async Task RunAsync(
        [ServiceBusTrigger(ServiceBusWebhookQueue.QueueName, Connection = FunctionsHostServiceExtensions.ServiceBusConnection,
            IsSessionsEnabled = true, AutoCompleteMessages = true)] ServiceBusReceivedMessage message,
        CancellationToken cancellationToken)
    {
        await handler.HandleAsync(message.Body.ToMemory(), message.EnqueuedTime, message.DeliveryCount, cancellationToken);
    }
}
