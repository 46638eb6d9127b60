using Messaging.Shared.Consent.OptIn;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Messaging.Functions.Consent;

/// <summary>
/// <see cref="IDoubleOptInWorkflows"/> on Durable Functions. The isolated worker hands out its
/// <see cref="DurableTaskClient"/> only as a [DurableClient] binding, never through DI, so every function that may
/// reach the shared consent code (management API, inbound trigger) binds it here first; it flows with the call
/// (AsyncLocal) into the singletons that use this class.
/// </summary>
public sealed class DurableDoubleOptInWorkflows : IDoubleOptInWorkflows
{
    private static readonly AsyncLocal<DurableTaskClient?> Client = new();

    /// <summary>Makes the invocation's client available to shared code called from this invocation.</summary>
    public static void Bind(DurableTaskClient client) => Client.Value = client;

    public async Task StartAsync(DoubleOptInInput.Requested request, CancellationToken cancellationToken)
    {
        var start = DoubleOptInStart.From(request);
        // The backend would replace a finished instance with the same id; a repeated start must change nothing.
        if (await Current().GetInstanceAsync(start.InstanceId, false, cancellationToken) is not null)
        {
            return;
        }

        await Current().ScheduleNewOrchestrationInstanceAsync(
            DoubleOptInOrchestration.Name, start, new StartOrchestrationOptions(start.InstanceId), cancellationToken);
    }

    public Task SignalAsync(string contactKey, string requestId, DoubleOptInSignal signal, CancellationToken cancellationToken) =>
        Current().RaiseEventAsync(DoubleOptInStart.InstanceIdFor(requestId), DoubleOptInOrchestration.SignalEvent, signal, cancellationToken);

    private static DurableTaskClient Current() =>
        Client.Value ?? throw new InvalidOperationException("No Durable client bound: add [DurableClient] to the function and call Bind.");
}
