using Messaging.LocalHost.Workflows;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Tests.Consent.Integration;

namespace Messaging.Shared.Tests.Privacy.Integration;

/// <summary>Runs an erasure on the harness's table driver to its end and returns its report.</summary>
internal static class ErasureRun
{
    public static async Task<ErasureReport> EraseAsync(ConsentHarness harness, string contactKey, string requestId, string channel = "email")
    {
        var started = await harness.Core.Get<ErasureService>().StartErasureAsync(contactKey, null, channel, requestId, null, CancellationToken.None);
        Assert.Equal(contactKey, started);
        ErasureState? state = null;
        WorkflowSnapshot? last = null;
        var finished = await Record.ExceptionAsync(() => Eventually.TrueAsync(
            async () =>
            {
                var snapshot = last = await harness.Driver.GetAsync(ErasureWorkflow.Instance(requestId), CancellationToken.None);
                state = snapshot is null ? null : ErasureWorkflow.Definition.DeserializeState(snapshot.StateJson);
                return state is ErasureState.Completed;
            },
            TimeSpan.FromSeconds(60)));
        Assert.True(finished is null, $"Erasure did not complete: {last?.Status} {last?.PendingEffects} {last?.StateJson}");
        return Erasure.Progress(state!)!.Report;
    }
}
