using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;

namespace Messaging.EndToEnd.Tests.Webhooks;

/// <summary>
/// SIGKILL at chosen moments of a real LocalHost, then a restart on the same storage: no effect is lost, none doubled.
/// The moments are reached by events, not by waiting: the fake Cloud API holds a send until the test has killed.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ExactlyOnceTests(LocalHostFixture fixture)
{
    [Fact]
    public async Task A_privacy_notice_in_Metas_hands_when_the_host_is_killed_is_not_sent_again_and_is_listed_as_unknown()
    {
        await using var meta = await FakeCloudApi.StartAsync();
        var settings = Settings(meta);
        var waId = "4917" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        meta.HoldRequests();
        await using (var doomed = await LocalHostProcess.StartAsync(settings))
        {
            using var ack = await Infrastructure.Webhooks.PostSignedAsync(doomed, Infrastructure.Webhooks.TextMessage("wamid.E2E-KILL-" + Guid.NewGuid().ToString("N"), waId, "Hallo"));
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            await meta.FirstHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
            doomed.Kill();
        }

        meta.AnswerRequests();
        // The killed host's outbound queue message comes back only after its 30 s visibility timeout; a restart and that
        // wait take ~35 s on a quiet machine and more than twice that under a load of 5-10, hence the generous window.
        await using var restarted = await LocalHostProcess.StartAsync(settings);
        List<UnknownSend>? unknown = null;
        await Eventually.TrueAsync(async () =>
        {
            unknown = await UnknownAsync(restarted);
            return unknown.Count == 1 && await QueuesEmptyAsync(settings);
        }, TimeSpan.FromSeconds(180), "the cut-off notice should be listed as unknown once the restarted host has looked at it");

        Assert.Equal(nameof(MessageCategory.ServiceText), unknown![0].Kind);
        Assert.Single(meta.Received);
        Assert.Equal(1, await Infrastructure.Webhooks.CountMessagesAsync(settings));
    }

    [Fact]
    public async Task A_double_opt_in_whose_host_is_killed_while_its_deadline_is_pending_expires_exactly_once()
    {
        await using var meta = await FakeCloudApi.StartAsync();
        var settings = Settings(meta);
        settings["DoubleOptIn__ConfirmationWindow"] = "00:00:05";
        string contactKey;
        await using (var doomed = await LocalHostProcess.StartAsync(settings))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/optin-requests")
            {
                Content = JsonContent.Create(new { phone = "+4917" + Random.Shared.NextInt64(10_000_000, 99_999_999), purpose = "marketing", source = "crm-api", consentText = "Ja, ich möchte Angebote per WhatsApp.", consentTextVersion = "crm-v7" }),
            };
            request.Headers.Add("x-functions-key", settings["Api__Key"]);
            using var start = await doomed.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            contactKey = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactKey").GetString()!;
            await Eventually.TrueAsync(() => Task.FromResult(meta.Received.Count == 1), TimeSpan.FromSeconds(60), "the confirmation template should go out");
            // Killed while the request waits for its answer: the deadline is a queue message, nothing else knows it.
            doomed.Kill();
        }

        await using var restarted = await LocalHostProcess.StartAsync(settings);
        JsonElement consent = default;
        await Eventually.TrueAsync(async () =>
        {
            consent = await ConsentAsync(restarted, contactKey);
            return consent.GetProperty("purposes")[0].GetProperty("status").GetString() == "expired" && await QueuesEmptyAsync(settings);
        }, TimeSpan.FromSeconds(90), "the request should expire after the restart");

        var kinds = consent.GetProperty("purposes")[0].GetProperty("proof").EnumerateArray().Select(p => p.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["requested", "expired"], kinds);
        Assert.Single(meta.Received);
    }

    private Dictionary<string, string> Settings(FakeCloudApi meta)
    {
        var settings = LocalHostProcess.NewSettings(fixture.Azurite.ConnectionString);
        meta.Configure(settings);
        // Short timings so a cut-off attempt turns unknown and a killed host's queue messages come back within the test.
        settings["Outbound__AttemptTimeout"] = "00:00:01";
        settings["Outbound__TotalTimeout"] = "00:00:02";
        settings["Outbound__AttemptingStaleAfter"] = "00:00:08";
        settings["Processing__VisibilityTimeout"] = "00:00:05";
        return settings;
    }

    private static async Task<List<UnknownSend>> UnknownAsync(LocalHostProcess host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/operations/outbox/unknown");
        request.Headers.Add("x-functions-key", host.Settings["Api__Key"]);
        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<UnknownSend>>())!;
    }

    private static async Task<JsonElement> ConsentAsync(LocalHostProcess host, string contactKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/contacts/{contactKey}/consent");
        request.Headers.Add("x-functions-key", host.Settings["Api__Key"]);
        using var response = await host.Client.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : JsonDocument.Parse("""{"purposes":[{"status":"none","proof":[]}]}""").RootElement;
    }

    private static async Task<bool> QueuesEmptyAsync(IReadOnlyDictionary<string, string> settings)
    {
        var storage = Infrastructure.Webhooks.Storage(settings);
        foreach (var queue in new[] { StorageNames.InboundQueue, StorageNames.OutboundQueue })
        {
            if ((await storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                return false;
            }
        }

        return true;
    }
}
