using Messaging.Shared.Consent.OptIn;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Consent;

/// <summary>
/// The effectful double opt-in commands, run by the shared executor. Commands travel as the codec's JSON string:
/// Durable's serializer cannot round-trip the command hierarchy. Each command is idempotent by its CommandId, so an
/// activity retried after a crash does not send or append twice. A passing failure throws (DoubleOptInRetryException)
/// and the orchestration's retry policy runs the activity again.
/// </summary>
public sealed class DoubleOptInActivities(IDoubleOptInCommandExecutor executor)
{
    [Function(DoubleOptInOrchestration.SendConfirmationActivity)]
    public Task<DoubleOptInCommandResult> SendConfirmationAsync([ActivityTrigger] string command, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(DoubleOptInCommandCodec.Deserialize(command), cancellationToken);

    [Function(DoubleOptInOrchestration.AppendConsentEventActivity)]
    public Task<DoubleOptInCommandResult> AppendConsentEventAsync([ActivityTrigger] string command, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(DoubleOptInCommandCodec.Deserialize(command), cancellationToken);
}
