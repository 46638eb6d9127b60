namespace Messaging.Shared.Retention;

/// <summary>
/// Starts the erasure of a contact inactive for longer than <c>Retention:InactiveContacts</c>. Implemented by the privacy
/// feature (the erasure workflow, channel "retention"); without it, inactive contacts are counted but not erased.
/// </summary>
public interface IInactiveContactEraser
{
    /// <param name="requestId">Key-safe and the same for the same inactivity, so a repeated sweep starts one erasure.</param>
    /// <returns>True when an erasure was started (or already runs) for the contact.</returns>
    Task<bool> EraseAsync(string contactKey, string requestId, CancellationToken cancellationToken);
}
