using System.Collections.Concurrent;
using Messaging.Shared.Webhooks;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>Stands in for the Service Bus queue, which needs Azure: keeps what the webhook function enqueued.</summary>
public sealed class RecordingWebhookQueue : IWebhookQueue
{
    public ConcurrentQueue<WebhookEnvelope> Enqueued { get; } = new();

    // As the Service Bus queue's (ServiceBusWebhookQueue.InlineBodyLimit).
    public int InlineBodyLimit => 160 * 1024;

    public Task EnqueueAsync(WebhookEnvelope envelope, string routingKey, CancellationToken cancellationToken)
    {
        Enqueued.Enqueue(envelope);
        return Task.CompletedTask;
    }
}
