using Messaging.Shared.Consent.OptIn;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Consent;

/// <summary>
/// The effectful double opt-in commands, run by the shared executor. Commands travel as the codec's JSON string:
/// Durable's serializer cannot round-trip the command hierarchy. Each command is idempotent by its CommandId, so an
/// activity retried after a crash does not send or append twice.
/// </summary>
public sealed class DoubleOptInActivities(IDoubleOptInCommandExecutor executor)
{
    [Function(DoubleOptInOrchestration.SendConfirmationActivity)]
    public Task SendConfirmationAsync([ActivityTrigger] string command, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(DoubleOptInCommandCodec.Deserialize(command), cancellationToken);

    [Function(DoubleOptInOrchestration.AppendConsentEventActivity)]
    public Task AppendConsentEventAsync([ActivityTrigger] string command, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(DoubleOptInCommandCodec.Deserialize(command), cancellationToken);
}
