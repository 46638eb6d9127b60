namespace Messaging.Shared.Workflows;

/// <summary>
/// The one port through which the core starts and steers workflows, whatever runs them (LocalHost's table driver,
/// Durable Functions in Azure). Every operation is idempotent: hosts and callers deliver at least once.
/// </summary>
public interface IWorkflowHost
{
    /// <summary>Starts the instance with its first input; starting an instance that exists changes nothing.</summary>
    Task StartAsync<TInput>(WorkflowInstance instance, TInput first, CancellationToken cancellationToken)
        where TInput : class;

    /// <summary>Feeds an input; <paramref name="inputId"/> is stable per real-world event, so a redelivery is applied once.</summary>
    Task SignalAsync<TInput>(WorkflowInstance instance, string inputId, TInput input, CancellationToken cancellationToken)
        where TInput : class;

    /// <summary>Stops a running instance where it stands (its owed effects are not run); a finished one is left as it is.</summary>
    Task TerminateAsync(WorkflowInstance instance, string reason, CancellationToken cancellationToken);

    /// <summary>Removes everything the host keeps about the instance (state, history, inputs). Terminate first if it runs.</summary>
    Task PurgeAsync(WorkflowInstance instance, CancellationToken cancellationToken);
}
