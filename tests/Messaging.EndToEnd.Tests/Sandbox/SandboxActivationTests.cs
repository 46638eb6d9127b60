using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;

namespace Messaging.EndToEnd.Tests.Sandbox;

[Collection(LocalHostCollection.Name)]
public sealed class SandboxActivationTests(LocalHostFixture fixture)
{
    [Fact]
    public async Task Without_Meta_credentials_outbound_points_at_the_sandbox_on_the_apps_own_address()
    {
        var status = await fixture.Host.Client.GetFromJsonAsync<JsonElement>("/sandbox/api/status");

        Assert.True(status.GetProperty("active").GetBoolean());
        Assert.Equal(new Uri(fixture.Host.BaseAddress, "/sandbox/graph").AbsoluteUri, status.GetProperty("graphApiBaseUrl").GetString());
        Assert.Equal("100000000000001", status.GetProperty("phoneNumberId").GetString());
        Assert.DoesNotContain("token", status.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_Meta_credentials_no_sandbox_route_exists()
    {
        var settings = LocalHostProcess.NewSettings(fixture.Azurite.ConnectionString);
        settings["Meta__AccessToken"] = "real-looking-token";
        settings["Meta__PhoneNumberId"] = "123456789012345";
        await using var host = await LocalHostProcess.StartAsync(settings);

        foreach (var path in new[] { "/sandbox", "/sandbox/api/status", "/sandbox/api/conversations" })
        {
            using var get = await host.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        using var send = await host.Client.PostAsJsonAsync("/sandbox/graph/v24.0/123456789012345/messages", new { messaging_product = "whatsapp" });
        Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
        using var customer = await host.Client.PostAsJsonAsync("/sandbox/api/customers/4915112345678/messages", new { text = "x" });
        Assert.Equal(HttpStatusCode.NotFound, customer.StatusCode);
        Assert.DoesNotContain("Meta sandbox active", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_credentials_the_log_says_the_sandbox_is_active_and_never_prints_a_token()
    {
        Assert.Contains("Meta sandbox active", fixture.Host.Output, StringComparison.Ordinal);
        // Generated tokens start with "sandbox-"; no log line may carry one.
        Assert.DoesNotContain("sandbox-", fixture.Host.Output, StringComparison.Ordinal);
    }
}
