using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Tests.Integration;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Conversations;

/// <summary>Builds inbound webhooks as Meta sends them and runs them through ingress, queue and processor.</summary>
public static class InboundWebhooks
{
    public static byte[] Text(string waId, string wamid, string text, DateTimeOffset at, string profileName = "Erika Mustermann") =>
        Message(waId, wamid, at, "text", new JsonObject { ["body"] = text }, profileName);

    /// <summary>Meta's <c>edit</c>: the new text of <paramref name="original"/>, with a context pointing at it.</summary>
    public static byte[] Edit(string waId, string wamid, string original, string newText, DateTimeOffset at) =>
        Message(waId, wamid, at, "edit", new JsonObject
        {
            ["original_message_id"] = original,
            ["message"] = new JsonObject
            {
                ["context"] = new JsonObject { ["id"] = original },
                ["type"] = "text",
                ["text"] = new JsonObject { ["body"] = newText },
            },
        });

    public static byte[] Revoke(string waId, string wamid, string original, DateTimeOffset at) =>
        Message(waId, wamid, at, "revoke", new JsonObject { ["original_message_id"] = original });

    public static byte[] Message(string waId, string wamid, DateTimeOffset at, string type, JsonObject body, string profileName = "Erika Mustermann") =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "102290129340398",
                ["changes"] = new JsonArray(new JsonObject
                {
                    ["field"] = "messages",
                    ["value"] = new JsonObject
                    {
                        ["messaging_product"] = "whatsapp",
                        ["metadata"] = new JsonObject { ["display_phone_number"] = "15550783881", ["phone_number_id"] = "106540352242922" },
                        ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = profileName }, ["wa_id"] = waId }),
                        ["messages"] = new JsonArray(new JsonObject
                        {
                            ["from"] = waId,
                            ["id"] = wamid,
                            ["timestamp"] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                            ["type"] = type,
                            [type] = body,
                        }),
                    },
                }),
            }),
        }.ToJsonString());

    public static async Task DeliverAsync(CoreHarness core, byte[] body)
    {
        Assert.Equal(IngressStatus.Accepted, await core.Get<WebhookIngress>().AcceptAsync(core.Signature.Sign(body), body, CancellationToken.None));
        foreach (var (envelope, _, _, _) in await QueueDriver.ReceiveAllAsync(core.Get<StorageClients>()))
        {
            Assert.Equal(ProcessingOutcome.Processed, await QueueDriver.ProcessAsync(core.Get<InboundWebhookProcessor>(), envelope));
        }
    }
}
