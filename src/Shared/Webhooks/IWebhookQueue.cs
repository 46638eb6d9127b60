namespace Messaging.Shared.Webhooks;

/// <summary>
/// The durable hand-off between the ack and the processor: a Storage Queue on LocalHost, a Service Bus queue in
/// Azure. An enqueue that returns has been stored durably; the ack answers 200 only after it.
/// </summary>
public interface IWebhookQueue
{
    /// <summary>Largest body that travels inline; larger bodies go to the body store first.</summary>
    int InlineBodyLimit { get; }

    Task EnqueueAsync(WebhookEnvelope envelope, string routingKey, CancellationToken cancellationToken);
}
