using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Configuration;
using Messaging.Shared.Outbound;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messaging.EndToEnd.Tests.Sandbox;

public sealed class SandboxTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string SandboxPhoneNumberId = "100000000000001";
    private LocalHostProcess Host => fixture.Host;

    [Fact]
    public async Task A_customer_text_reaches_the_real_webhook_and_is_stored()
    {
        var waId = NewWaId();
        var before = await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings);

        using var response = await Host.Client.PostAsJsonAsync($"/sandbox/api/customers/{waId}/messages", new { text = "Hallo, gibt es das in Blau?" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var wamid = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString();
        Assert.StartsWith("wamid.", wamid, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings) > before);
        var conversation = await ConversationAsync(waId);
        var message = Assert.Single(conversation.GetProperty("messages").EnumerateArray(), m => m.GetProperty("from").GetString() == "customer");
        Assert.Equal(wamid, message.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_template_sent_through_the_cloud_api_client_is_delivered_read_and_its_quick_reply_can_be_tapped()
    {
        var waId = NewWaId();
        var before = await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings);

        var result = await Client().SendAsync("+" + waId,
            OutboundMessage.FromTemplate("order_update", "de", TemplateComponent.Body("ORD-1"), TemplateComponent.QuickReplyButton(0, "track-order")),
            "callback-1", CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Accepted, result.Outcome);
        Assert.Equal("accepted", result.MessageStatus);
        await Eventually.TrueAsync(async () => Status(await ConversationAsync(waId), result.Wamid!) == "read", because: "statuses should reach read");
        // One row for the outbound message, created by its status webhooks in the app's own store.
        await Eventually.TrueAsync(async () => await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings) > before);
        var sent = (await ConversationAsync(waId)).GetProperty("messages")[0];
        Assert.Equal("order_update", sent.GetProperty("templateName").GetString());
        Assert.Equal("utility", sent.GetProperty("pricingCategory").GetString());
        Assert.Equal("track-order", sent.GetProperty("quickReplies")[0].GetProperty("payload").GetString());

        var afterStatuses = await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings);
        using var tap = await Host.Client.PostAsJsonAsync($"/sandbox/api/customers/{waId}/messages", new { buttonPayload = "track-order", buttonText = "Sendung verfolgen" });
        Assert.Equal(HttpStatusCode.OK, tap.StatusCode);
        await Eventually.TrueAsync(async () => await Infrastructure.Webhooks.CountMessagesAsync(Host.Settings) > afterStatuses);
        var reply = (await ConversationAsync(waId)).GetProperty("messages")[1];
        Assert.Equal("button", reply.GetProperty("type").GetString());
        Assert.Equal(result.Wamid, reply.GetProperty("contextMessageId").GetString());
        await AssertNothingParkedAsync();
    }

    [Fact]
    public async Task A_wrong_token_gets_Graphs_401_envelope()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/graph/v24.0/{SandboxPhoneNumberId}/messages")
        {
            Content = JsonBody("""{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{"body":"x"}}"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");

        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Equal(190, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
    }

    [Fact]
    public async Task An_empty_text_body_is_refused_like_Graph_refuses_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/graph/v24.0/{SandboxPhoneNumberId}/messages")
        {
            Content = JsonBody("""{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{"body":""}}"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxFixture.AccessToken);

        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(131008, error.GetProperty("code").GetInt32());
        Assert.Equal("whatsapp", error.GetProperty("error_data").GetProperty("messaging_product").GetString());
    }

    [Fact]
    public async Task After_a_marketing_stop_a_marketing_template_is_accepted_and_then_fails_with_131050()
    {
        var waId = NewWaId();
        using var stop = await Host.Client.PostAsJsonAsync($"/sandbox/api/customers/{waId}/marketing-preference", new { value = "stop" });
        Assert.Equal(HttpStatusCode.NoContent, stop.StatusCode);

        var result = await Client().SendAsync(waId, OutboundMessage.FromTemplate("spring_offer", "de"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Accepted, result.Outcome);
        await Eventually.TrueAsync(async () => Status(await ConversationAsync(waId), result.Wamid!) == "failed");
        var message = (await ConversationAsync(waId)).GetProperty("messages")[0];
        Assert.Equal(131050, message.GetProperty("errorCode").GetInt32());
        Assert.True((await ConversationAsync(waId)).GetProperty("marketingStopped").GetBoolean());
        await AssertNothingParkedAsync();
    }

    [Fact]
    public async Task An_armed_131047_refuses_the_next_send_only()
    {
        var waId = NewWaId();
        using var arm = await Host.Client.PostAsJsonAsync("/sandbox/api/next-send-failure", new { code = 131047 });
        Assert.Equal(HttpStatusCode.OK, arm.StatusCode);

        var refused = await Client().SendAsync(waId, OutboundMessage.FromText("Hallo"), null, CancellationToken.None);
        var accepted = await Client().SendAsync(waId, OutboundMessage.FromText("Hallo"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.NotAccepted, refused.Outcome);
        Assert.Equal(SendErrorCategory.ClosedWindow, refused.Category);
        Assert.Equal(131047, refused.ErrorCode);
        Assert.Equal(CloudApiOutcome.Accepted, accepted.Outcome);
    }

    [Theory]
    [InlineData("1234567")]
    [InlineData("+4915112345678")]
    [InlineData("49151abc45678")]
    public async Task A_customer_number_that_is_not_a_wa_id_is_refused(string waId)
    {
        using var response = await Host.Client.PostAsJsonAsync($"/sandbox/api/customers/{Uri.EscapeDataString(waId)}/messages", new { text = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_page_and_its_script_are_served_without_external_resources()
    {
        using var page = await Host.Client.GetAsync(new Uri("/sandbox", UriKind.Relative));
        using var script = await Host.Client.GetAsync(new Uri("/sandbox/sandbox.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<label for=\"waId\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-live", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private CloudApiClient Client()
    {
        // What outbound would use in LocalHost: the post-configured Meta options reported by the sandbox itself.
        var meta = new MetaOptions
        {
            AppSecret = "unused",
            VerifyToken = "unused",
            AccessToken = SandboxFixture.AccessToken,
            PhoneNumberId = SandboxPhoneNumberId,
            GraphApiBaseUrl = new Uri(Host.BaseAddress, "/sandbox/graph"),
        };
        return new CloudApiClient(new HttpClient(), new FixedOptionsMonitor<MetaOptions>(meta), NullLogger<CloudApiClient>.Instance);
    }

    private async Task<JsonElement> ConversationAsync(string waId) =>
        await Host.Client.GetFromJsonAsync<JsonElement>($"/sandbox/api/conversations/{waId}");

    private static string? Status(JsonElement conversation, string wamid) =>
        conversation.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.GetProperty("id").GetString() == wamid) is { ValueKind: JsonValueKind.Object } m
            ? m.GetProperty("status").GetString()
            : null;

    private async Task AssertNothingParkedAsync()
    {
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/operations/parked-webhooks");
        list.Headers.Add("x-functions-key", Host.Settings["Api__Key"]);
        using var response = await Host.Client.SendAsync(list);
        Assert.Equal("[]", (await response.Content.ReadAsStringAsync()).Trim());
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static string NewWaId() => "4915" + Random.Shared.NextInt64(100_000_000, 999_999_999);
}
