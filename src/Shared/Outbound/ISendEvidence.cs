namespace Messaging.Shared.Outbound;

/// <summary>
/// Proof that a send reached Meta even though its sender died before recording it: a status webhook that echoed the
/// send's callback id (<c>biz_opaque_callback_data</c>, the outbox row key). The message store keeps that id.
/// </summary>
public interface ISendEvidence
{
    /// <returns>The keyed hash of the wamid Meta gave the send, or null when no status has named the callback id.</returns>
    Task<string?> FindSentWamidHashAsync(string contactKey, string callbackId, CancellationToken cancellationToken);
}
