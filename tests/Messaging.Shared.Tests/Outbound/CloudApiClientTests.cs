using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Messaging.Shared.Outbound;

namespace Messaging.Shared.Tests.Outbound;

public sealed class CloudApiClientTests
{
    private const string Phone = "+16505551234";

    [Fact]
    public async Task Text_is_posted_to_the_phone_numbers_messages_endpoint_with_bearer_token_and_snake_case_body()
    {
        await using var graph = GraphStub.Start();
        graph.AcceptAll();

        await graph.Client.SendAsync(Phone, OutboundMessage.FromText("Hallo"), "cb-123", CancellationToken.None);

        var call = Assert.Single(graph.Calls);
        Assert.Equal("POST", call.RequestMessage.Method);
        Assert.Equal(GraphStub.MessagesPath, call.RequestMessage.Path);
        Assert.Equal("Bearer " + GraphStub.AccessToken, Assert.Single(call.RequestMessage.Headers!["Authorization"]));
        var body = GraphStub.BodyOf(call);
        Assert.Equal("whatsapp", body.GetProperty("messaging_product").GetString());
        Assert.Equal("individual", body.GetProperty("recipient_type").GetString());
        Assert.Equal(Phone, body.GetProperty("to").GetString());
        Assert.Equal("text", body.GetProperty("type").GetString());
        Assert.False(body.GetProperty("text").GetProperty("preview_url").GetBoolean());
        Assert.Equal("Hallo", body.GetProperty("text").GetProperty("body").GetString());
        Assert.Equal("cb-123", body.GetProperty("biz_opaque_callback_data").GetString());
        Assert.False(body.TryGetProperty("template", out _));
    }

    [Fact]
    public async Task Template_carries_language_body_parameters_and_quick_reply_payloads()
    {
        await using var graph = GraphStub.Start();
        graph.AcceptAll();
        var message = OutboundMessage.FromTemplate("doi_confirm", "de",
            TemplateComponent.Body("Asha", "ORD-9271"),
            TemplateComponent.QuickReplyButton(0, "doi:req-1:yes"),
            TemplateComponent.QuickReplyButton(1, "doi:req-1:no"));

        await graph.Client.SendAsync(Phone, message, null, CancellationToken.None);

        var body = GraphStub.BodyOf(Assert.Single(graph.Calls));
        Assert.Equal("template", body.GetProperty("type").GetString());
        Assert.False(body.TryGetProperty("text", out _));
        Assert.False(body.TryGetProperty("biz_opaque_callback_data", out _));
        var template = body.GetProperty("template");
        Assert.Equal("doi_confirm", template.GetProperty("name").GetString());
        Assert.Equal("de", template.GetProperty("language").GetProperty("code").GetString());
        var components = template.GetProperty("components").EnumerateArray().ToArray();
        Assert.Equal(3, components.Length);
        Assert.Equal("body", components[0].GetProperty("type").GetString());
        Assert.Equal(["Asha", "ORD-9271"], components[0].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        Assert.All(components[0].GetProperty("parameters").EnumerateArray(), p => Assert.Equal("text", p.GetProperty("type").GetString()));
        Assert.False(components[0].TryGetProperty("sub_type", out _));
        for (var i = 1; i <= 2; i++)
        {
            var button = components[i];
            Assert.Equal("button", button.GetProperty("type").GetString());
            Assert.Equal("quick_reply", button.GetProperty("sub_type").GetString());
            Assert.Equal(JsonValueKind.String, button.GetProperty("index").ValueKind);
            Assert.Equal((i - 1).ToString(), button.GetProperty("index").GetString());
            var parameter = Assert.Single(button.GetProperty("parameters").EnumerateArray().ToArray());
            Assert.Equal("payload", parameter.GetProperty("type").GetString());
            Assert.False(parameter.TryGetProperty("text", out _));
        }

        Assert.Equal("doi:req-1:no", components[2].GetProperty("parameters")[0].GetProperty("payload").GetString());
    }

    [Fact]
    public async Task Accepted_response_yields_the_wamid_and_message_status()
    {
        await using var graph = GraphStub.Start();
        graph.AcceptAll("wamid.ABC", "held_for_quality_assessment");

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromTemplate("t", "en"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Accepted, result.Outcome);
        Assert.Equal("wamid.ABC", result.Wamid);
        Assert.Equal("held_for_quality_assessment", result.MessageStatus);
        Assert.DoesNotContain("wamid.ABC", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_envelope_is_parsed_classified_and_not_retried_for_a_missing_template()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseAll(400, 132001, "template name (x) does not exist in en");

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromTemplate("x", "en"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.NotAccepted, result.Outcome);
        Assert.Equal(132001, result.ErrorCode);
        Assert.Equal(SendErrorCategory.TemplateFault, result.Category);
        Assert.Equal(400, result.HttpStatus);
        Assert.Equal("template name (x) does not exist in en", result.Error!.ErrorData!.Details);
        Assert.Equal("AE9jPfwk6-trace", result.Error.FbtraceId);
        Assert.Equal("OAuthException", result.Error.Type);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Closed_window_error_is_not_retried()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseAll(400, 131047);

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(SendErrorCategory.ClosedWindow, result.Category);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Marketing_opt_out_is_classified_and_not_retried()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseAll(400, 131050);

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromTemplate("promo", "de"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.NotAccepted, result.Outcome);
        Assert.Equal(SendErrorCategory.MarketingOptOut, result.Category);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Rate_limit_hit_is_retried_and_the_retry_is_accepted()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseOnceThenAccept(429, 130429, "wamid.after-retry");

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Accepted, result.Outcome);
        Assert.Equal("wamid.after-retry", result.Wamid);
        Assert.Equal(2, graph.Calls.Count);
        Assert.Equal(graph.Calls[0].RequestMessage.Body, graph.Calls[1].RequestMessage.Body);
    }

    [Fact]
    public async Task Pair_rate_limit_with_http_400_is_retried()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseOnceThenAccept(400, 131056);

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Accepted, result.Outcome);
        Assert.Equal(2, graph.Calls.Count);
    }

    [Fact]
    public async Task Service_unavailable_with_an_error_envelope_is_retried()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseOnceThenAccept(503, 131016);

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Accepted, result.Outcome);
        Assert.Equal(2, graph.Calls.Count);
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_after_the_configured_retries()
    {
        await using var graph = GraphStub.Start();
        graph.RefuseAll(400, 130429);

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(SendErrorCategory.Throttled, result.Category);
        Assert.Equal(1 + 3, graph.Calls.Count);
    }

    [Fact]
    public async Task Bare_server_error_is_not_retried_because_the_message_may_have_been_accepted()
    {
        // A generous attempt timeout and a warm server: a loaded machine must not turn the 502 into a timeout.
        await using var graph = GraphStub.Start(settings: new Dictionary<string, string?> { ["Outbound:AttemptTimeout"] = "00:00:30", ["Outbound:TotalTimeout"] = "00:01:00" });
        graph.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(GraphStub.MessagesPath).UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(502).WithBody("Bad Gateway"));
        await graph.WarmUpAsync();

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.Unknown, result.Outcome);
        Assert.Single(graph.Calls);
    }

    [Fact]
    public async Task Attempt_timeout_is_not_retried_and_the_outcome_is_unknown()
    {
        await using var graph = GraphStub.Start(settings: new Dictionary<string, string?> { ["Outbound:AttemptTimeout"] = "00:00:01.500" });
        var arrivals = graph.AcceptSlowly(TimeSpan.FromSeconds(6));
        await graph.WarmUpAsync();

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(CloudApiOutcome.Unknown, result.Outcome);
        Assert.Equal(1, arrivals());
        Assert.Null(result.Wamid);
    }

    [Fact]
    public async Task Refused_connection_is_retried_and_reported_as_not_sent()
    {
        var closedPort = ClosedPort();
        await using var graph = GraphStub.Start(baseUrlOverride: new Uri($"http://127.0.0.1:{closedPort}/"));

        var result = await graph.Client.SendAsync(Phone, OutboundMessage.FromText("hi"), null, CancellationToken.None);

        Assert.Equal(CloudApiOutcome.NotAccepted, result.Outcome);
        Assert.Equal(SendErrorCategory.Transient, result.Category);
    }

    [Fact]
    public void Only_connection_failures_before_sending_count_as_not_sent()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new HttpRequestException(HttpRequestError.ResponseEnded, "x", new IOException());
        var dns = new HttpRequestException(HttpRequestError.NameResolutionError, "x");

        Assert.True(CloudApiRetryPolicy.IsKnownNotSent(refused));
        Assert.True(CloudApiRetryPolicy.IsKnownNotSent(dns));
        Assert.False(CloudApiRetryPolicy.IsKnownNotSent(reset));
        Assert.False(CloudApiRetryPolicy.IsKnownNotSent(new TaskCanceledException()));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
