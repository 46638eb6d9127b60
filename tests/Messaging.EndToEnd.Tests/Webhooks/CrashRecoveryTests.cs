using System.Net;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Storage;

namespace Messaging.EndToEnd.Tests.Webhooks;

[Collection(LocalHostCollection.Name)]
public sealed class CrashRecoveryTests(LocalHostFixture fixture)
{
    [Fact]
    public async Task Webhooks_acknowledged_by_a_process_killed_before_processing_are_processed_after_restart()
    {
        var settings = LocalHostProcess.NewSettings(fixture.Azurite.ConnectionString);
        settings["Processing__Enabled"] = "false";
        await using (var doomed = await LocalHostProcess.StartAsync(settings))
        {
            for (var i = 0; i < 5; i++)
            {
                using var ack = await Infrastructure.Webhooks.PostSignedAsync(doomed, Infrastructure.Webhooks.TextMessage($"wamid.CRASH-{i}", "4915199990010", "Hallo " + i));
                Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            }

            doomed.Kill();
        }

        Assert.Equal(0, await Infrastructure.Webhooks.CountMessagesAsync(settings));
        settings.Remove("Processing__Enabled");
        await using var restarted = await LocalHostProcess.StartAsync(settings);
        await Eventually.TrueAsync(async () => await Infrastructure.Webhooks.CountMessagesAsync(settings) == 5);
    }

    [Fact]
    public async Task Health_reports_503_while_storage_is_unreachable()
    {
        var settings = LocalHostProcess.NewSettings(AzuriteFixture.ConnectionStringFor(1, 1, 1));
        await using var host = await LocalHostProcess.StartAsync(settings, waitForHealthy: false);
        using var response = await host.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
