namespace Messaging.Shared.Webhooks;

/// <summary>
/// A feature that reacts to inbound events after they are stored (consent keywords, double opt-in replies,
/// privacy notice, Meta's marketing stop). Called inside the inbox claim of the event, at least once:
/// implementations must be idempotent (deterministic ids for everything they write or send).
/// </summary>
public interface IInboundObserver
{
    Task OnMessageAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    Task OnStatusAsync(string contactKey, StatusUpdate status, CancellationToken cancellationToken) => Task.CompletedTask;

    Task OnUserPreferenceAsync(string contactKey, UserPreferenceChange change, CancellationToken cancellationToken) => Task.CompletedTask;
}
