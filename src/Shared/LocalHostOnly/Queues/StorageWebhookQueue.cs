using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.LocalHostOnly.Queues;

/// <summary>LocalHost's inbound queue on Azure Storage Queues (Azurite). Routing keys only matter to Service Bus sessions.</summary>
public sealed class StorageWebhookQueue(StorageClients storage) : IWebhookQueue
{
    private readonly Azure.Storage.Queues.QueueClient _queue = storage.Queue(StorageNames.InboundQueue);

    // 64 KB per message after the client's base64 encoding, and the envelope base64-encodes the body again.
    public int InlineBodyLimit => 24 * 1024;

    public Task EnqueueAsync(WebhookEnvelope envelope, string routingKey, CancellationToken cancellationToken) =>
        _queue.SendMessageAsync(BinaryData.FromBytes(envelope.Serialize()), cancellationToken: cancellationToken);
}
