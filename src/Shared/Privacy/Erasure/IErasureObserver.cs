namespace Messaging.Shared.Privacy.Erasure;

/// <summary>Told when an erasure completed (data-subject requests close, retention counts); runs inside the receipt effect, so it must be idempotent.</summary>
public interface IErasureObserver
{
    Task OnErasedAsync(string requestId, string contactKey, ErasureReport report, CancellationToken cancellationToken);
}
