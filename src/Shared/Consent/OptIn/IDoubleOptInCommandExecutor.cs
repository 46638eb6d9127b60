namespace Messaging.Shared.Consent.OptIn;

/// <summary>
/// Runs the commands of the double opt-in decider that touch the outside world (sending the confirmation
/// template, appending to the consent ledger). Both hosts call it: LocalHost's table driver directly, Azure as
/// Durable activities. Every command is idempotent by its CommandId, because both hosts deliver at least once.
/// </summary>
public interface IDoubleOptInCommandExecutor
{
    /// <returns>What the workflow must learn from the command (e.g. the template was sent or refused), or an empty result.</returns>
    Task<DoubleOptInCommandResult> ExecuteAsync(DoubleOptInCommand command, CancellationToken cancellationToken);
}
