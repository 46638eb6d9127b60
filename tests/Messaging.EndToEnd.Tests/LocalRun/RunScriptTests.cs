using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Webhooks;

namespace Messaging.EndToEnd.Tests.LocalRun;

/// <summary>./run for real (its own Azurite, a temporary data directory, free ports), as a developer with a real Meta app starts it.</summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task A_meta_app_secret_exported_before_run_is_the_one_the_webhook_checks()
    {
        var appSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var data = Directory.CreateTempSubdirectory("run-e2e");
        var baseAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var environment = new Dictionary<string, string>
        {
            ["Meta__AppSecret"] = appSecret,
            ["MESSAGING_DATA_DIR"] = data.FullName,
            ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'),
            ["AZURITE_BLOB_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AZURITE_QUEUE_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AZURITE_TABLE_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        using var run = Process.Start(Bash.StartInfo(environment, Path.Combine(AzuriteFixture.RepoRoot(), "run")))!;
        var output = Bash.Capture(run);
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            // ./run builds LocalHost first (incremental after the test build), then starts Azurite and the app.
            await Eventually.TrueAsync(
                async () => !run.HasExited && await IsHealthyAsync(client),
                TimeSpan.FromMinutes(4),
                "./run did not bring LocalHost up:\n" + Snapshot(output));

            var body = Encoding.UTF8.GetBytes(Infrastructure.Webhooks.TextMessage("wamid.run-" + Guid.NewGuid().ToString("N"), "4915112345678", "hello"));
            using var signedWithTheExportedSecret = await PostAsync(client, body, new WebhookSignature(appSecret).Sign(body));
            using var signedWithAnotherSecret = await PostAsync(client, body, new WebhookSignature(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Sign(body));

            Assert.Equal(HttpStatusCode.OK, signedWithTheExportedSecret.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, signedWithAnotherSecret.StatusCode);
            Assert.DoesNotContain("Meta__AppSecret", File.ReadAllText(Path.Combine(data.FullName, "local-secrets.env")), StringComparison.Ordinal);
            Assert.DoesNotContain(appSecret, Snapshot(output), StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(run);
            data.Delete(recursive: true);
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string signature)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/webhook") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        return await client.SendAsync(request);
    }

    /// <summary>Ctrl-C's path first (./run stops the app and Azurite itself), then the hard way for whatever is left.</summary>
    private static async Task StopAsync(Process run)
    {
        if (!run.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await run.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                run.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
