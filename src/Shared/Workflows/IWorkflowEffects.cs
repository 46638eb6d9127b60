namespace Messaging.Shared.Workflows;

/// <summary>
/// Runs the effects a workflow owes (send, append, delete). Idempotent by the effect's id, because every host may
/// run an effect again after a crash. A failure that passes throws <see cref="WorkflowRetryException"/> (or any
/// exception) and the host retries; a final outcome comes back as the input the workflow must learn, or null.
/// </summary>
public interface IWorkflowEffects<in TEffect, TInput>
    where TEffect : class
    where TInput : class
{
    Task<TInput?> ExecuteAsync(TEffect effect, CancellationToken cancellationToken);
}
