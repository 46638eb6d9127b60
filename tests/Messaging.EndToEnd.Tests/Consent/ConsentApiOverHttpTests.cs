using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;

namespace Messaging.EndToEnd.Tests.Consent;

/// <summary>The management API and the double opt-in through the running LocalHost, with the sandbox playing Meta.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ConsentApiOverHttpTests(LocalHostFixture fixture)
{
    private LocalHostProcess Host => fixture.Host;

    private HttpRequestMessage Authorized(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", Host.Settings["Api__Key"]);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private static string NewWaId() => "4917" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    [Fact]
    public async Task The_management_api_refuses_calls_without_the_right_key()
    {
        using var anonymous = await Host.Client.PostAsJsonAsync("/api/contacts/lookup", new { phone = "+4915112345678" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/contacts/lookup") { Content = JsonContent.Create(new { phone = "+4915112345678" }) };
        wrong.Headers.Add("x-functions-key", "not-the-key");
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.Client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task An_invalid_phone_number_gets_a_problem_detail_that_does_not_echo_it()
    {
        using var response = await Host.Client.SendAsync(Authorized(HttpMethod.Post, "/api/optin-requests",
            new { phone = "0151-not-a-number", purpose = "marketing", source = "crm-api", consentText = "Ja", consentTextVersion = "v1" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("phone", body, StringComparison.Ordinal);
        Assert.DoesNotContain("0151-not-a-number", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crm_opt_in_confirmed_by_a_tap_in_whatsapp_shows_as_confirmed_with_proof()
    {
        var waId = NewWaId();
        using var start = await Host.Client.SendAsync(Authorized(HttpMethod.Post, "/api/optin-requests",
            new { phone = "+" + waId, purpose = "marketing", source = "crm-api", consentText = "Ja, ich möchte Angebote per WhatsApp.", consentTextVersion = "crm-v7" }));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var accepted = await start.Content.ReadFromJsonAsync<JsonElement>();
        var contactKey = accepted.GetProperty("contactKey").GetString()!;
        var requestId = accepted.GetProperty("requestId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", contactKey);

        // The sandbox received the confirmation template with its two quick-reply payloads.
        string? confirmPayload = null;
        await Eventually.TrueAsync(async () =>
        {
            var conversation = await Host.Client.GetFromJsonAsync<JsonElement>($"/sandbox/api/conversations/{waId}");
            var template = conversation.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.GetProperty("type").GetString() == "template");
            confirmPayload = template.ValueKind == JsonValueKind.Undefined ? null
                : template.GetProperty("quickReplies").EnumerateArray().Select(q => q.GetProperty("payload").GetString()).FirstOrDefault(p => p!.EndsWith(":confirm", StringComparison.Ordinal));
            return confirmPayload is not null;
        });
        Assert.Equal($"doi:{requestId}:confirm", confirmPayload);

        using var tap = await Host.Client.PostAsJsonAsync($"/sandbox/api/customers/{waId}/messages", new { buttonPayload = confirmPayload, buttonText = "Ja" });
        Assert.Equal(HttpStatusCode.OK, tap.StatusCode);

        JsonElement marketing = default;
        await Eventually.TrueAsync(async () =>
        {
            using var consent = await Host.Client.SendAsync(Authorized(HttpMethod.Get, $"/api/contacts/{contactKey}/consent"));
            var body = await consent.Content.ReadFromJsonAsync<JsonElement>();
            marketing = body.GetProperty("purposes").EnumerateArray().FirstOrDefault(p => p.GetProperty("purpose").GetString() == "marketing");
            return marketing.ValueKind != JsonValueKind.Undefined && marketing.GetProperty("status").GetString() == "confirmed";
        });
        var proof = marketing.GetProperty("proof").EnumerateArray().ToList();
        Assert.Equal(["requested", "confirmed"], proof.Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal("crm-v7", proof[0].GetProperty("consentTextVersion").GetString());
        Assert.DoesNotContain(waId, marketing.GetRawText(), StringComparison.Ordinal);

        using var lookup = await Host.Client.SendAsync(Authorized(HttpMethod.Post, "/api/contacts/lookup", new { phone = "+" + waId }));
        Assert.Equal(contactKey, (await lookup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactKey").GetString());
    }

    [Fact]
    public async Task Unknown_contacts_are_not_found()
    {
        using var lookup = await Host.Client.SendAsync(Authorized(HttpMethod.Post, "/api/contacts/lookup", new { phone = "+4915100000001" }));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        using var consent = await Host.Client.SendAsync(Authorized(HttpMethod.Get, $"/api/contacts/{new string('a', 32)}/consent"));
        Assert.Equal(HttpStatusCode.NotFound, consent.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_management_route()
    {
        var document = await Host.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        foreach (var path in new[] { "/api/optin-requests", "/api/contacts/lookup", "/api/contacts/{contactKey}/consent", "/api/whatsapp/webhook", "/api/health" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }

        // The JSON bodies the shared handlers read themselves are described too.
        using var json = System.Text.Json.JsonDocument.Parse(document);
        var optIn = json.RootElement.GetProperty("paths").GetProperty("/api/optin-requests").GetProperty("post").GetProperty("requestBody");
        Assert.True(optIn.GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Contains("consentTextVersion", document, StringComparison.Ordinal);
    }
}
