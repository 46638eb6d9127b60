using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;

namespace Messaging.Shared.Tests.Workflows;

public sealed class QueuedWorkflowHostTests
{
    [Fact]
    public async Task A_signal_may_not_use_the_id_of_the_first_input_because_hosts_would_take_it_for_a_repeat()
    {
        // Refused before any storage is touched, so no Azurite is needed.
        var storage = new StorageClients(Microsoft.Extensions.Options.Options.Create(new Configuration.StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }));
        var host = new QueuedWorkflowHost(storage, new WorkflowCatalog([DoubleOptInWorkflow.Definition]));
        var stop = new DoubleOptInSignal(DoubleOptInSignal.Stop, "ev", DateTimeOffset.UnixEpoch);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            host.SignalAsync(DoubleOptInWorkflow.Instance("ck-1", "r-1"), QueuedWorkflowHost.StartInputId, stop.ToInput(), CancellationToken.None));

        Assert.Equal("inputId", refused.ParamName);
    }
}
