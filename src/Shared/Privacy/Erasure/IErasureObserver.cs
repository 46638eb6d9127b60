namespace Messaging.Shared.Privacy.Erasure;

/// <summary>Told when an erasure completed (data-subject requests close, retention counts); runs inside the receipt effect, so it must be idempotent.</summary>
public interface IErasureObserver
{
    Task OnErasedAsync(string requestId, string contactKey, ErasureReport report, CancellationToken cancellationToken);

    /// <summary>Told when an erasure ended as failed (<see cref="ErasureState.Failed"/>); runs inside that effect, so it must be idempotent.</summary>
    Task OnErasureFailedAsync(string requestId, string contactKey, string step, string reason, ErasureReport report, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
