using Messaging.Shared.Privacy.Erasure;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>Closes the data-subject request an erasure answers, with the erasure's report, when the erasure completes or fails for good.</summary>
public sealed class DataSubjectRequestCloser(DataSubjectRequests requests) : IErasureObserver
{
    public Task OnErasedAsync(string requestId, string contactKey, ErasureReport report, CancellationToken cancellationToken) =>
        requests.CompleteErasureAsync(requestId, report, cancellationToken);

    public Task OnErasureFailedAsync(string requestId, string contactKey, string step, string reason, ErasureReport report, CancellationToken cancellationToken) =>
        requests.FailErasureAsync(requestId, step, reason, report, cancellationToken);
}
