using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace Messaging.EndToEnd.Tests.Infrastructure;

/// <summary>Sends webhooks the way Meta does (signed raw bytes) and reads what the app stored.</summary>
public static class Webhooks
{
    public static string TextMessage(string wamid, string waId, string text, long? timestamp = null) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"800100200300400","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"4930901820","phone_number_id":"111222333444555"},"contacts":[{"profile":{"name":"E2E"},"wa_id":"{{{waId}}}"}],"messages":[{"from":"{{{waId}}}","id":"{{{wamid}}}","timestamp":"{{{timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","type":"text","text":{"body":"{{{text}}}"}}]},"field":"messages"}]}]}""";

    public static async Task<HttpResponseMessage> PostSignedAsync(LocalHostProcess host, string body, string? signatureOverride = null, bool omitSignature = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/webhook") { Content = content };
        if (!omitSignature)
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signatureOverride ?? new WebhookSignature(host.Settings["Meta__AppSecret"]).Sign(bytes));
        }

        return await host.Client.SendAsync(request);
    }

    /// <summary>
    /// Delivers as Meta does: a 503 (storage slow to answer, so the ack refused) is posted again after a pause, until it
    /// is acknowledged or half a minute has passed. For tests whose subject is what happens after the ack.
    /// </summary>
    public static async Task<HttpResponseMessage> DeliverSignedAsync(LocalHostProcess host, string body)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await PostSignedAsync(host, body);
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || DateTimeOffset.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public static StorageClients Storage(IReadOnlyDictionary<string, string> settings) =>
        new(Options.Create(new StorageOptions { ConnectionString = settings["Storage__ConnectionString"], NamePrefix = settings["Storage__NamePrefix"] }));

    /// <summary>Message rows (those <paramref name="filter"/> accepts) in every table the message store keeps them in: the contact shards and the legacy table.</summary>
    public static async Task<int> CountMessagesAsync(IReadOnlyDictionary<string, string> settings, Func<TableEntity, bool>? filter = null) =>
        (await Messaging.Testing.MessageRows.AllAsync(Storage(settings))).Count(filter ?? (_ => true));

    public static async Task<int> CountAsync(IReadOnlyDictionary<string, string> settings, string table)
    {
        var count = 0;
        await foreach (var _ in Storage(settings).Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }
}
