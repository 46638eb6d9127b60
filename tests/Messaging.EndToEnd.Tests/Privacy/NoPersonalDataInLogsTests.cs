using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Storage;

namespace Messaging.EndToEnd.Tests.Privacy;

/// <summary>
/// A whole conversation through a LocalHost logging everything down to Debug (the app, ASP.NET Core, HttpClient):
/// a first message, the privacy notice and its statuses, a CRM opt-in confirmed in WhatsApp, STOP and its
/// confirmation, Meta's own marketing stop. Then the captured output must not contain the customer's number (in any
/// form we know), WhatsApp id, user id, name, message text or any wamid.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class NoPersonalDataInLogsTests(LocalHostFixture fixture)
{
    private const string UserId = "DE.73109284561029384756";
    private const string Name = "Erika Beispielfrau";
    private const string SecretText = "Mein Lieblingskuchen ist Blaubeerkuchen";

    [Fact]
    public async Task A_whole_conversation_logged_at_debug_names_no_person()
    {
        var waId = "4917" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var settings = LocalHostProcess.NewSettings(fixture.Azurite.ConnectionString);
        settings["Logging__LogLevel__Default"] = "Debug";
        settings["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug";
        settings["Logging__LogLevel__System.Net.Http.HttpClient"] = "Debug";
        await using var host = await LocalHostProcess.StartAsync(settings);

        await PostAsync(host, Message(waId, "wamid.PII-1-" + Guid.NewGuid().ToString("N"), "text", $$"""  "text":{"body":"{{SecretText}}"}"""));
        await Eventually.TrueAsync(async () => await OutboundReadAsync(settings) >= 1, TimeSpan.FromSeconds(60), "the privacy notice should be sent and read");

        using var start = await SendAsync(host, HttpMethod.Post, "/api/optin-requests",
            new { phone = "+" + waId, purpose = "marketing", source = "crm-api", consentText = "Ja, ich möchte Angebote per WhatsApp.", consentTextVersion = "crm-v7" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var accepted = await start.Content.ReadFromJsonAsync<JsonElement>();
        var contactKey = accepted.GetProperty("contactKey").GetString()!;
        var requestId = accepted.GetProperty("requestId").GetString()!;
        await Eventually.TrueAsync(async () => await StatusAsync(host, contactKey) == "pending" && await OutboundReadAsync(settings) >= 2, TimeSpan.FromSeconds(60), "the confirmation template should go out");

        await PostAsync(host, Message(waId, "wamid.PII-2-" + Guid.NewGuid().ToString("N"), "button", $$"""  "button":{"payload":"doi:{{requestId}}:confirm","text":"Ja"}"""));
        await Eventually.TrueAsync(async () => await StatusAsync(host, contactKey) == "confirmed", TimeSpan.FromSeconds(60), "the tap should confirm");

        await PostAsync(host, Message(waId, "wamid.PII-3-" + Guid.NewGuid().ToString("N"), "text", """  "text":{"body":"STOP"}"""));
        await Eventually.TrueAsync(async () => await StatusAsync(host, contactKey) == "withdrawn" && await OutboundReadAsync(settings) >= 3, TimeSpan.FromSeconds(60), "STOP should withdraw and be confirmed");

        await PostAsync(host, $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"user_preferences","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"4930901820","phone_number_id":"100000000000001"},"contacts":[{"wa_id":"{{{waId}}}","user_id":"{{{UserId}}}"}],"user_preferences":[{"category":"marketing_messages","value":"stop","timestamp":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}}]}}]}]}""");
        await Eventually.TrueAsync(() => QueuesEmptyAsync(settings), TimeSpan.FromSeconds(60), "everything should be processed");

        var output = host.Output;
        Assert.Contains("dbug:", output, StringComparison.Ordinal);
        Assert.All(
            new[] { waId, "+" + waId, waId[2..], UserId, "Erika", "Beispielfrau", "Blaubeerkuchen", "Lieblingskuchen", "wamid." },
            forbidden => Assert.False(output.Contains(forbidden, StringComparison.OrdinalIgnoreCase), $"The log contains '{forbidden}'."));
    }

    private static string Message(string waId, string wamid, string type, string content) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"4930901820","phone_number_id":"100000000000001"},"contacts":[{"profile":{"name":"{{{Name}}}"},"wa_id":"{{{waId}}}","user_id":"{{{UserId}}}"}],"messages":[{"from":"{{{waId}}}","from_user_id":"{{{UserId}}}","id":"{{{wamid}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","type":"{{{type}}}",{{{content}}}}]}}]}]}""";

    private static async Task PostAsync(LocalHostProcess host, string body)
    {
        // This test is about what gets logged after the ack, so a 503 while the shared Azurite is busy is retried as Meta would.
        using var ack = await Infrastructure.Webhooks.DeliverSignedAsync(host, body);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(LocalHostProcess host, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", host.Settings["Api__Key"]);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return host.Client.SendAsync(request);
    }

    private static async Task<string?> StatusAsync(LocalHostProcess host, string contactKey)
    {
        using var response = await SendAsync(host, HttpMethod.Get, $"/api/contacts/{contactKey}/consent");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var purposes = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("purposes");
        return purposes.GetArrayLength() == 0 ? null : purposes[0].GetProperty("status").GetString();
    }

    /// <summary>Messages we sent that the (sandbox) customer has read: proof the statuses went through processing.</summary>
    private static Task<int> OutboundReadAsync(IReadOnlyDictionary<string, string> settings) =>
        Infrastructure.Webhooks.CountMessagesAsync(settings, e => e.GetString("Direction") == "out" && e.GetString("Status") == "read");

    private static async Task<bool> QueuesEmptyAsync(IReadOnlyDictionary<string, string> settings)
    {
        var storage = Infrastructure.Webhooks.Storage(settings);
        // The workflow queue keeps the opt-in's deadline timer hidden for days; only these two must drain.
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
