using Messaging.Shared.Events;
using Messaging.Shared.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Events;

/// <summary>Events out in Azure, as LocalHost's EventDeliveryWorker: a queue trigger delivers a contact's pending events.</summary>
public sealed class EventDeliveryTrigger(EventDeliveryOperations operations)
{
    [Function("DeliverEvents")]
    public Task RunAsync(
        [QueueTrigger(StorageNames.EventsOutQueue, Connection = "AzureWebJobsStorage")] string message,
        CancellationToken cancellationToken) =>
        operations.HandleAsync(message, cancellationToken);
}
