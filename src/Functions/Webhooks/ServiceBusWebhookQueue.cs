using Azure.Messaging.ServiceBus;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;

namespace Messaging.Functions.Webhooks;

/// <summary>
/// The inbound queue in Azure. Sent with our own <see cref="ServiceBusSender"/> because the Service Bus output
/// binding cannot set <see cref="ServiceBusMessage.MessageId"/> (duplicate detection keys on it: the body hash, distinct per operator replay)
/// or <see cref="ServiceBusMessage.SessionId"/> (the queue requires sessions: one contact's events in order).
/// </summary>
public sealed class ServiceBusWebhookQueue(ServiceBusClient client) : IWebhookQueue, IAsyncDisposable
{
    // The same name as LocalHost's Storage Queue; Bicep creates it in the Service Bus namespace.
    public const string QueueName = StorageNames.InboundQueue;

    private readonly ServiceBusSender _sender = client.CreateSender(QueueName);

    // Standard tier caps a message at 256 KB including headers, and the envelope carries the body base64-encoded
    // (4/3 larger): 160 KB of body is ~214 KB on the wire. Larger bodies take the claim-check path.
    public int InlineBodyLimit => 160 * 1024;

    public Task EnqueueAsync(WebhookEnvelope envelope, string routingKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var message = new ServiceBusMessage(BinaryData.FromBytes(envelope.Serialize()))
        {
            MessageId = envelope.DeduplicationId,
            SessionId = routingKey,
            ContentType = "application/json",
        };
        return _sender.SendMessageAsync(message, cancellationToken);
    }

    public ValueTask DisposeAsync() => _sender.DisposeAsync();
}
