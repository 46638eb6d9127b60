using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Health;
using Messaging.Shared.Storage;

namespace Messaging.EndToEnd.Tests.Webhooks;

/// <summary>
/// A storage account that hangs: an Azurite of the test's own, frozen with SIGSTOP while LocalHost runs. The ack must
/// refuse (503, so Meta retries) instead of hanging, health must say what is down, and everything acknowledged before
/// or after must be processed once storage is back, without anyone restarting anything.
/// </summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task While_storage_hangs_the_ack_refuses_and_health_names_it_and_afterwards_nothing_acknowledged_is_lost()
    {
        var azurite = AzuriteFixture.Private();
        await azurite.InitializeAsync();
        try
        {
            var settings = LocalHostProcess.NewSettings(azurite.ConnectionString);
            await using var host = await LocalHostProcess.StartAsync(settings);
            var before = Enumerable.Range(0, 5).Select(i => Message(i)).ToList();
            foreach (var body in before)
            {
                using var ack = await Infrastructure.Webhooks.PostSignedAsync(host, body);
                Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            }

            var refusedBody = Message(99);
            azurite.Freeze();
            HttpStatusCode refused;
            JsonElement health;
            try
            {
                // The client would wait 30 s; the ack has to give up on storage long before that.
                using var during = await Infrastructure.Webhooks.PostSignedAsync(host, refusedBody);
                refused = during.StatusCode;
                using var probe = await host.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, probe.StatusCode);
                health = await probe.Content.ReadFromJsonAsync<JsonElement>();
            }
            finally
            {
                azurite.Thaw();
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused);
            Assert.Equal("unhealthy", health.GetProperty("status").GetString());
            var services = health.GetProperty("services");
            Assert.All(["tables", "queues", "blobs"], s => Assert.Equal(HealthReport.Unreachable, services.GetProperty(s).GetString()));

            // Meta delivers the refused webhook again until it is acknowledged.
            await Eventually.TrueAsync(async () =>
            {
                using var retry = await Infrastructure.Webhooks.PostSignedAsync(host, refusedBody);
                return retry.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(60), "the ack should accept again once storage is back");

            await Eventually.TrueAsync(
                async () => await InboundMessagesAsync(settings) == before.Count + 1,
                TimeSpan.FromSeconds(90),
                "every acknowledged message should be processed after the outage, once");
            using var healthy = await host.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>Stored customer messages only: the sandbox's status webhooks for the privacy notices add rows too.</summary>
    private static Task<int> InboundMessagesAsync(IReadOnlyDictionary<string, string> settings) =>
        Infrastructure.Webhooks.CountMessagesAsync(settings, e => e.GetString("Direction") == "in");

    private static string Message(int i) =>
        Infrastructure.Webhooks.TextMessage($"wamid.E2E-OUTAGE-{i}-{Guid.NewGuid():N}", "4917" + (20_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "Hallo " + i);
}
