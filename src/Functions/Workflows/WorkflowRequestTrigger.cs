using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Messaging.Functions.Workflows;

/// <summary>
/// Azure's consumer of the workflow queue (LocalHost's is WorkflowQueueWorker): the only place that needs the
/// Durable client, which the isolated worker hands out per invocation. A failure leaves the message for redelivery.
/// </summary>
public sealed class WorkflowRequestTrigger(DurableWorkflowDispatcher dispatcher)
{
    [Function("ApplyWorkflowRequest")]
    public Task RunAsync(
        [QueueTrigger(StorageNames.WorkflowEventsQueue, Connection = "AzureWebJobsStorage")] string message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        dispatcher.ApplyAsync(client, WorkflowRequest.FromJson(message), cancellationToken);
}
