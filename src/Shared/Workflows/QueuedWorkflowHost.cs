using Azure.Storage.Queues;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Workflows;

/// <summary>
/// <see cref="IWorkflowHost"/> for both hosts: every operation becomes a <see cref="WorkflowRequest"/> on the workflow
/// queue, consumed by LocalHost's table driver or, in Azure, by a queue trigger that hands it to Durable Functions.
/// The queue makes each request durable before the caller moves on, and keeps the Durable client out of the core:
/// the isolated worker only hands that client to a function invocation, never to a service.
/// </summary>
public sealed class QueuedWorkflowHost(StorageClients storage, WorkflowCatalog catalog) : IWorkflowHost
{
    /// <summary>The id under which both hosts record a workflow's first input.</summary>
    public const string StartInputId = "start";

    private readonly QueueClient _queue = storage.Queue(StorageNames.WorkflowEventsQueue);

    public Task StartAsync<TInput>(WorkflowInstance instance, TInput first, CancellationToken cancellationToken)
        where TInput : class =>
        SendAsync(WorkflowRequest.For(WorkflowRequest.Start, instance, inputId: StartInputId, input: Serialize(instance, first)), cancellationToken);

    public Task SignalAsync<TInput>(WorkflowInstance instance, string inputId, TInput input, CancellationToken cancellationToken)
        where TInput : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputId);
        if (inputId == StartInputId)
        {
            // Both hosts record the first input under this id; a signal using it would be taken for a repeat and dropped.
            throw new ArgumentException($"'{StartInputId}' is the first input's id; a signal needs its own.", nameof(inputId));
        }

        return SendAsync(WorkflowRequest.For(WorkflowRequest.Signal, instance, inputId, Serialize(instance, input)), cancellationToken);
    }

    public Task TerminateAsync(WorkflowInstance instance, string reason, CancellationToken cancellationToken) =>
        SendAsync(WorkflowRequest.For(WorkflowRequest.Terminate, instance, reason: reason), cancellationToken);

    public Task PurgeAsync(WorkflowInstance instance, CancellationToken cancellationToken) =>
        SendAsync(WorkflowRequest.For(WorkflowRequest.Purge, instance), cancellationToken);

    private string Serialize(WorkflowInstance instance, object input) => catalog.Get(instance.Kind).SerializeInput(input);

    private Task SendAsync(WorkflowRequest request, CancellationToken cancellationToken) =>
        _queue.SendMessageAsync(request.ToBinary(), cancellationToken: cancellationToken);
}
