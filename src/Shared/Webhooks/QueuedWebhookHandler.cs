namespace Messaging.Shared.Webhooks;

/// <summary>
/// What every inbound queue consumer does with one message, whatever the queue (Storage Queue on LocalHost, the
/// Service Bus trigger in Azure): read the envelope and process it. A message our ack did not write is parked
/// rather than dropped, so an operator sees it. Exceptions mean "deliver again" and are left to the host.
/// </summary>
public sealed class QueuedWebhookHandler(InboundWebhookProcessor processor, ParkedWebhookStore parked)
{
    public const string NotAnEnvelope = "Queue message is not a webhook envelope.";

    /// <param name="attempt">1 for the first delivery: the queue's dequeue or delivery count.</param>
    public async Task<ProcessingOutcome> HandleAsync(ReadOnlyMemory<byte> message, DateTimeOffset enqueuedAt, int attempt, CancellationToken cancellationToken)
    {
        WebhookEnvelope envelope;
        try
        {
            envelope = WebhookEnvelope.Deserialize(message.Span);
        }
        catch (WebhookPayloadException)
        {
            var raw = message.ToArray();
            var orphan = new WebhookEnvelope(WebhookEnvelope.IdOf(raw), enqueuedAt, raw, null);
            await parked.ParkAsync(orphan, raw, NotAnEnvelope, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        return await processor.ProcessAsync(envelope, attempt, cancellationToken);
    }
}
