using System.Text;
using System.Text.Json.Nodes;
using Messaging.Functions.Tests.Infrastructure;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Functions.Tests;

/// <summary>
/// The same request to both hosts gets the same answer: status, the headers the handlers set, and the body (JSON
/// compared as JSON). LocalHost is called over HTTP with its API key; each function is called as the Functions
/// host would call it (see <see cref="FunctionsApp"/>). Every case also states the status it is about, so two hosts
/// failing alike does not pass.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ResponseParityTests(ParityHosts hosts)
{
    private const string Webhook = "/api/whatsapp/webhook";
    private const string Dsr = "/api/data-subject-requests";
    private static readonly byte[] SignedBody = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""");

    private static readonly Dictionary<string, ParityCase> Cases = new()
    {
        ["health"] = new(_ => new("GET", "/api/health"), 200),

        ["webhook handshake with the verify token"] = new(_ => new("GET", $"{Webhook}?hub.mode=subscribe&hub.verify_token={ParityHosts.VerifyToken}&hub.challenge=1158201444"), 200),
        ["webhook handshake with a wrong token"] = new(_ => new("GET", $"{Webhook}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444"), 403),
        ["webhook handshake without parameters"] = new(_ => new("GET", Webhook), 403),
        ["signed webhook"] = new(_ => Signed(SignedBody, new WebhookSignature(ParityHosts.AppSecret).Sign(SignedBody)), 200),
        ["unsigned webhook"] = new(_ => new("POST", Webhook, Body: SignedBody, ContentType: "application/json"), 401),
        ["webhook with a wrong signature"] = new(_ => Signed(SignedBody, new WebhookSignature("another-secret").Sign(SignedBody)), 403),
        ["webhook with a malformed signature"] = new(_ => Signed(SignedBody, "sha1=abc"), 403),
        ["webhook over 4 MiB of unknown length"] = new(_ => Signed(new byte[WebhookBodyReader.MaxBodyBytes + 1], "sha256=" + new string('0', 64)) with { Chunked = true }, 413),

        ["opt-in request"] = new(_ => ParityRequest.Json("POST", "/api/optin-requests", OptInBody("+4915112340002"), new Dictionary<string, string> { ["Idempotency-Key"] = "parity-1" }), 202),
        ["opt-in request with invalid fields"] = new(_ => ParityRequest.Json("POST", "/api/optin-requests", """{"phone":"0151-not-a-number","purpose":"Marketing!","source":""}"""), 400),
        ["opt-in request with a too long idempotency key"] = new(_ => ParityRequest.Json("POST", "/api/optin-requests", OptInBody("+4915112340003"), new Dictionary<string, string> { ["Idempotency-Key"] = new('k', 201) }), 400),
        ["opt-in request that is not JSON"] = new(_ => ParityRequest.Json("POST", "/api/optin-requests", "phone=+4915112340002"), 400),
        ["opt-in request without a JSON content type"] = new(_ => ParityRequest.Json("POST", "/api/optin-requests", OptInBody("+4915112340002")) with { ContentType = "text/plain" }, 400),
        ["opt-in request without a body"] = new(_ => new("POST", "/api/optin-requests", RequiresKey: true), 400),

        ["lookup of a known contact"] = new(_ => ParityRequest.Json("POST", "/api/contacts/lookup", $$"""{"phone":"{{ParityHosts.KnownPhone}}"}"""), 200),
        ["lookup of an unknown number"] = new(_ => ParityRequest.Json("POST", "/api/contacts/lookup", """{"phone":"+4915100000009"}"""), 404),
        ["lookup of an invalid number"] = new(_ => ParityRequest.Json("POST", "/api/contacts/lookup", """{"phone":"12"}"""), 400),
        ["lookup that is JSON null"] = new(_ => ParityRequest.Json("POST", "/api/contacts/lookup", "null"), 400),

        ["consent of a known contact"] = new(h => new("GET", $"/api/contacts/{h.KnownContactKey}/consent", RequiresKey: true), 200),
        ["consent of an unknown contact"] = new(_ => new("GET", $"/api/contacts/{new string('a', 32)}/consent", RequiresKey: true), 404),
        ["consent of a malformed key"] = new(_ => new("GET", "/api/contacts/not-a-key/consent", RequiresKey: true), 404),

        ["parked webhooks"] = new(_ => new("GET", "/api/operations/parked-webhooks?max=5", RequiresKey: true), 200),
        ["parked webhooks with max not a number"] = new(_ => new("GET", "/api/operations/parked-webhooks?max=many", RequiresKey: true), 400),
        ["parked webhooks with max out of range"] = new(_ => new("GET", "/api/operations/parked-webhooks?max=1001", RequiresKey: true), 400),
        ["replay of a malformed id"] = new(_ => new("POST", "/api/operations/parked-webhooks/not-an-id/replay", RequiresKey: true), 400),
        ["replay of an unknown id"] = new(_ => new("POST", $"/api/operations/parked-webhooks/{new string('0', 64)}/replay", RequiresKey: true), 404),

        ["opt-in page"] = new(_ => new("GET", "/optin"), 200),
        ["opt-in page in the browser's language"] = new(_ => new("GET", "/optin", new Dictionary<string, string> { ["Accept-Language"] = "fr;q=0.9, en-GB;q=0.8" }), 200),
        ["opt-in page in the chosen language"] = new(_ => new("GET", "/optin?lang=en", new Dictionary<string, string> { ["Accept-Language"] = "de" }), 200),
        ["opt-in page submitted with the box ticked"] = new(_ => Form("consent=on&lang=en"), 200),
        ["opt-in page submitted without the box ticked"] = new(_ => Form("lang=de"), 400),
        ["retention sweep started"] = new(_ => new("POST", "/api/operations/retention-sweeps", RequiresKey: true), 202, Mask: "[0-9a-f]{32}"),
        ["retention sweep that exists"] = new(h => new("GET", $"/api/operations/retention-sweeps/{h.KnownSweepId}", RequiresKey: true), 200),
        ["retention sweep that does not exist"] = new(_ => new("GET", "/api/operations/retention-sweeps/no-such-sweep", RequiresKey: true), 404),
        ["backup started"] = new(_ => new("POST", "/api/operations/backups", RequiresKey: true), 202, Mask: "[0-9]{8}T[0-9]{6}Z-[0-9a-f]{15}"),
        ["backups listed"] = new(_ => new("GET", "/api/operations/backups", RequiresKey: true), 200),
        ["records of processing"] = new(_ => new("GET", "/api/compliance/records-of-processing", RequiresKey: true), 200, Mask: "(?<=\"generatedAt\":\")[^\"]+"),
        ["records of processing as markdown"] = new(_ => new("GET", "/api/compliance/records-of-processing?format=markdown", RequiresKey: true), 200),
        ["records of processing in an unknown format"] = new(_ => new("GET", "/api/compliance/records-of-processing?format=pdf", RequiresKey: true), 400),
        ["retention sweep with a malformed id"] = new(_ => new("GET", "/api/operations/retention-sweeps/not_a_sweep", RequiresKey: true), 400),

        ["templates while Graph is unreachable"] = new(_ => new("GET", "/api/templates", RequiresKey: true), 502),
        ["campaign list"] = new(_ => new("GET", "/api/campaigns", RequiresKey: true), 200),
        ["campaign that does not exist"] = new(_ => new("GET", "/api/campaigns/c-no-such-campaign", RequiresKey: true), 404),
        ["campaign with a malformed id"] = new(_ => new("GET", "/api/campaigns/Not_A_Campaign", RequiresKey: true), 400),
        ["campaign while Graph is unreachable"] = new(_ => ParityRequest.Json("POST", "/api/campaigns", """{"name":"Winter","template":{"name":"no_such_template","language":"de"},"purpose":"marketing","audience":{"contactKeys":["k"]}}"""), 502),
        ["campaign without a name"] = new(_ => ParityRequest.Json("POST", "/api/campaigns", """{"template":{"name":"winter_sale","language":"de"},"audience":{"contactKeys":["k"]}}"""), 400),
        ["campaign with two audiences"] = new(_ => ParityRequest.Json("POST", "/api/campaigns", """{"name":"Winter","template":{"name":"winter_sale","language":"de"},"audience":{"phones":["+4915112340002"],"contactKeys":["k"]}}"""), 400),
        ["campaign that is not JSON"] = new(_ => ParityRequest.Json("POST", "/api/campaigns", "name=Winter"), 400),
        ["start of a campaign that does not exist"] = new(_ => new("POST", "/api/campaigns/c-no-such-campaign/start", RequiresKey: true), 404),
        ["pause of a campaign with a malformed id"] = new(_ => new("POST", "/api/campaigns/Not_A_Campaign/pause", RequiresKey: true), 400),
        ["data-subject request about someone we hold nothing about"] = new(_ => ParityRequest.Json("POST", Dsr, """{"kind":"erasure","phone":"+4915100000078","channel":"email"}""", new Dictionary<string, string> { ["Idempotency-Key"] = "parity-dsr-1" }), 202),
        ["data-subject request with both phone and contact key"] = new(h => ParityRequest.Json("POST", Dsr, $$"""{"kind":"access","phone":"+4915100000078","contactKey":"{{h.KnownContactKey}}","channel":"web"}"""), 400),
        ["data-subject request with a national number and an unknown channel"] = new(_ => ParityRequest.Json("POST", Dsr, """{"kind":"erasure","phone":"015112345678","channel":"fax"}"""), 400),
        ["data-subject request that is not JSON"] = new(_ => ParityRequest.Json("POST", Dsr, "kind=erasure"), 400),
        ["data-subject request that exists"] = new(h => new("GET", $"{Dsr}/{h.KnownRequestId}", RequiresKey: true), 200),
        ["data-subject request that does not exist"] = new(_ => new("GET", $"{Dsr}/{new string('d', 32)}", RequiresKey: true), 404),
        ["data-subject request with a malformed id"] = new(_ => new("GET", $"{Dsr}/not-an-id", RequiresKey: true), 404),
        ["open data-subject requests"] = new(_ => new("GET", $"{Dsr}?status=open", RequiresKey: true), 200),
        ["data-subject requests with an unknown status"] = new(_ => new("GET", $"{Dsr}?status=pending", RequiresKey: true), 400),
        ["extension without a reason"] = new(h => ParityRequest.Json("POST", $"{Dsr}/{h.OpenRequestId}/extension", """{"months":2}"""), 400),
        ["extension by three months"] = new(h => ParityRequest.Json("POST", $"{Dsr}/{h.OpenRequestId}/extension", """{"reason":"many requests","months":3}"""), 400),
        ["extension of a completed request"] = new(h => ParityRequest.Json("POST", $"{Dsr}/{h.KnownRequestId}/extension", """{"reason":"many requests"}"""), 409),
        ["extension of an unknown request"] = new(_ => ParityRequest.Json("POST", $"{Dsr}/{new string('d', 32)}/extension", """{"reason":"many requests"}"""), 404),
        ["export of an access request"] = new(h => new("GET", $"{Dsr}/{h.AccessRequestId}/export", RequiresKey: true), 200),
        ["export of a request without one"] = new(h => new("GET", $"{Dsr}/{h.KnownRequestId}/export", RequiresKey: true), 404),
        ["audit chain verified"] = new(_ => new("GET", "/api/audit/verify", RequiresKey: true), 200),
        ["conversations"] = new(_ => new("GET", "/api/conversations?status=all", RequiresKey: true), 200),
        ["conversations with an unknown status"] = new(_ => new("GET", "/api/conversations?status=pending", RequiresKey: true), 400),
        ["conversations with a malformed cursor"] = new(_ => new("GET", "/api/conversations?cursor=x", RequiresKey: true), 400),
        ["thread of a known contact without messages"] = new(h => new("GET", $"/api/contacts/{h.KnownContactKey}/messages", RequiresKey: true), 200),
        ["thread of an unknown contact"] = new(_ => new("GET", $"/api/contacts/{new string('a', 32)}/messages", RequiresKey: true), 404),
        ["thread with a limit out of range"] = new(h => new("GET", $"/api/contacts/{h.KnownContactKey}/messages?limit=201", RequiresKey: true), 400),
        ["thread with a malformed cursor"] = new(h => new("GET", $"/api/contacts/{h.KnownContactKey}/messages?before=%25%25", RequiresKey: true), 400),
        ["reply outside the service window"] = new(h => ParityRequest.Json("POST", $"/api/contacts/{h.KnownContactKey}/messages", """{"text":"Hello"}"""), 409),
        ["marketing template without consent"] = new(h => ParityRequest.Json("POST", $"/api/contacts/{h.KnownContactKey}/messages", """{"template":{"name":"spring_sale","language":"de","parameters":["x"]}}"""), 409),
        ["reply with both text and template"] = new(h => ParityRequest.Json("POST", $"/api/contacts/{h.KnownContactKey}/messages", """{"text":"Hi","template":{"name":"t","language":"de"}}"""), 400),
        ["reply that is not JSON"] = new(h => ParityRequest.Json("POST", $"/api/contacts/{h.KnownContactKey}/messages", "text=Hi"), 400),
        ["reply to an unknown contact"] = new(_ => ParityRequest.Json("POST", $"/api/contacts/{new string('a', 32)}/messages", """{"text":"Hello"}"""), 404),
        ["conversation update with an unknown status"] = new(h => ParityRequest.Json("PUT", $"/api/conversations/{h.KnownContactKey}", """{"status":"snoozed"}"""), 400),
        ["conversation update of an unknown contact"] = new(_ => ParityRequest.Json("PUT", $"/api/conversations/{new string('a', 32)}", """{"status":"closed"}"""), 404),
        ["read of an unknown conversation"] = new(_ => new("POST", $"/api/conversations/{new string('a', 32)}/read", RequiresKey: true), 404),
        ["media with a malformed id"] = new(_ => new("GET", "/api/media/a%20b", RequiresKey: true), 400),
        ["inbox page"] = new(_ => new("GET", "/console/inbox"), 200),
        ["parked events"] = new(_ => new("GET", "/api/operations/parked-events?max=5", RequiresKey: true), 200),
        ["parked events with max out of range"] = new(_ => new("GET", "/api/operations/parked-events?max=0", RequiresKey: true), 400),
        ["replay of a malformed parked event id"] = new(_ => new("POST", "/api/operations/parked-events/no-dot/replay", RequiresKey: true), 400),
        ["replay of an unknown parked event"] = new(_ => new("POST", $"/api/operations/parked-events/s0000000000000000.{new string('a', 32)}-e-000000000001/replay", RequiresKey: true), 404),
        ["discard of an unknown parked event"] = new(_ => new("DELETE", $"/api/operations/parked-events/s0000000000000000.{new string('a', 32)}-e-000000000001", RequiresKey: true), 404),

        ["opt-in page submitted as JSON"] = new(_ => new("POST", "/optin", Body: Encoding.UTF8.GetBytes("""{"consent":"on"}"""), ContentType: "application/json"), 400),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Both_hosts_answer_alike(string name)
    {
        var (request, status, mask) = Cases[name];

        var localHost = await hosts.SendToLocalHostAsync(request(hosts));
        var functions = await hosts.Functions.SendAsync(request(hosts));

        Assert.Equal(status, localHost.Status);
        var differences = CapturedResponse.Differences(functions, localHost, mask);
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public async Task The_comparison_reports_two_different_answers()
    {
        var right = Cases["webhook handshake with the verify token"].Request(hosts);
        var wrong = Cases["webhook handshake with a wrong token"].Request(hosts);

        var differences = CapturedResponse.Differences(await hosts.Functions.SendAsync(wrong), await hosts.SendToLocalHostAsync(right));

        Assert.Contains(differences, d => d.StartsWith("status:", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("Content-Type:", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("body:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_comparison_masks_only_the_trace_id_and_the_one_time_code()
    {
        var problem = new CapturedResponse(400, new Dictionary<string, string> { ["Content-Type"] = "application/problem+json" },
            """{"title":"Bad Request","status":400,"detail":"x","traceId":"00-a"}""");
        var page = new CapturedResponse(200, new Dictionary<string, string> { ["Content-Type"] = "text/html; charset=utf-8" }, "<span>OPTIN-ABCD-EFGH</span>");

        Assert.Empty(CapturedResponse.Differences(problem, problem with { Body = problem.Body.Replace("00-a", "00-b", StringComparison.Ordinal) }));
        Assert.Empty(CapturedResponse.Differences(page, page with { Body = "<span>OPTIN-2345-6789</span>" }));
        Assert.NotEmpty(CapturedResponse.Differences(problem, problem with { Body = """{"title":"Bad Request","status":400,"detail":"x"}""" }));
        Assert.NotEmpty(CapturedResponse.Differences(problem, problem with { Body = problem.Body.Replace("\"x\"", "\"y\"", StringComparison.Ordinal) }));
        Assert.NotEmpty(CapturedResponse.Differences(problem, problem with { Status = 422 }));
        Assert.NotEmpty(CapturedResponse.Differences(page, page with { Body = "<span>OPTIN-ABCD-EFGH</span>." }));
        Assert.NotEmpty(CapturedResponse.Differences(page, page with { Headers = new Dictionary<string, string> { ["Content-Type"] = "text/html" } }));
    }

    [Fact]
    public async Task The_functions_side_really_ran_the_shared_core()
    {
        var webhooks = hosts.Functions.WebhookQueue.Enqueued.Count;
        await hosts.Functions.SendAsync(Cases["signed webhook"].Request(hosts));
        var accepted = await hosts.Functions.SendAsync(
            ParityRequest.Json("POST", "/api/optin-requests", OptInBody("+4915112340004"), new Dictionary<string, string> { ["Idempotency-Key"] = "functions-only" }));

        Assert.Equal(webhooks + 1, hosts.Functions.WebhookQueue.Enqueued.Count);
        Assert.Equal(202, accepted.Status);
        var requestId = JsonNode.Parse(accepted.Body)!["requestId"]!.GetValue<string>();
        var queued = (await hosts.LocalHost.Services.GetRequiredService<StorageClients>().Queue(StorageNames.WorkflowEventsQueue).PeekMessagesAsync(32)).Value;
        Assert.Contains(queued, m => m.Body.ToString().Contains(requestId, StringComparison.Ordinal));
    }

    /// <param name="Mask">A pattern that differs per request by design (a new id), masked on both sides.</param>
    private sealed record ParityCase(Func<ParityHosts, ParityRequest> Request, int Status, string? Mask = null);

    private static string OptInBody(string phone) =>
        $$"""{"phone":"{{phone}}","purpose":"marketing","source":"crm-api","consentText":"Ja, ich möchte Angebote per WhatsApp.","consentTextVersion":"crm-v7"}""";

    private static ParityRequest Signed(byte[] body, string signature) =>
        new("POST", Webhook, new Dictionary<string, string> { [WebhookHandlers.SignatureHeader] = signature }, body, "application/json");

    private static ParityRequest Form(string fields) =>
        new("POST", "/optin", Body: Encoding.UTF8.GetBytes(fields), ContentType: "application/x-www-form-urlencoded");
}
