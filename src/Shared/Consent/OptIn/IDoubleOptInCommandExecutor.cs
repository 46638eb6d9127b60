namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// Runs the effectful double opt-in commands (<see cref="DoubleOptInCommand.SendConfirmationTemplate"/>,
/// <see cref="DoubleOptInCommand.AppendConsentEvent"/>) against the outbox and the consent ledger. Idempotent per
/// <see cref="DoubleOptInCommand.CommandId"/>, because every host delivers a command at least once. A send the
/// send policy refuses, or one that failed for good, throws; the host feeds that back as
/// <see cref="DoubleOptInInput.ConfirmationFailed"/>.
/// </summary>
public interface IDoubleOptInCommandExecutor
{
    Task ExecuteAsync(DoubleOptInCommand command, CancellationToken cancellationToken);
}
