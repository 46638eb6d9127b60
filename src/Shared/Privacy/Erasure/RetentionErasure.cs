using Messaging.Shared.Retention;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>An inactive contact is erased like any other: through <see cref="ErasureService"/>, channel "retention", untold.</summary>
public sealed class RetentionErasure(ErasureService erasure) : IInactiveContactEraser
{
    public async Task<bool> EraseAsync(string contactKey, string requestId, CancellationToken cancellationToken) =>
        await erasure.StartErasureAsync(contactKey, null, ErasureService.RetentionChannel, requestId, notifyContact: false, cancellationToken) is not null;
}
