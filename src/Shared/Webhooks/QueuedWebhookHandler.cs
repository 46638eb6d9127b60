namespace Messaging.Shared.Webhooks;

/// <summary>
/// What every inbound queue consumer does with one message, whatever the queue (Storage Queue on LocalHost, the
/// Service Bus trigger in Azure): read the envelope (or the envelopes LocalHost's queue committed together) and
/// process each. A message our ack did not write is parked rather than dropped, so an operator sees it. Exceptions
/// mean "deliver again" and are left to the host; the envelopes already processed are then no-ops the second time.
/// </summary>
public sealed class QueuedWebhookHandler(InboundWebhookProcessor processor, ParkedWebhookStore parked)
{
    public const string NotAnEnvelope = "Queue message is not a webhook envelope.";
    private const int ParallelEnvelopes = 8;

    /// <param name="attempt">1 for the first delivery: the queue's dequeue or delivery count.</param>
    public async Task<ProcessingOutcome> HandleAsync(ReadOnlyMemory<byte> message, DateTimeOffset enqueuedAt, int attempt, CancellationToken cancellationToken)
    {
        IReadOnlyList<WebhookEnvelope> envelopes;
        try
        {
            envelopes = WebhookEnvelope.DeserializeMany(message.Span);
        }
        catch (WebhookPayloadException)
        {
            var raw = message.ToArray();
            var orphan = new WebhookEnvelope(WebhookEnvelope.IdOf(raw), enqueuedAt, raw, null);
            await parked.ParkAsync(orphan, raw, NotAnEnvelope, attempt, cancellationToken);
            return ProcessingOutcome.Parked;
        }

        if (envelopes.Count == 1)
        {
            return await processor.ProcessAsync(envelopes[0], attempt, cancellationToken);
        }

        var outcomes = new ProcessingOutcome[envelopes.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, envelopes.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelEnvelopes, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await processor.ProcessAsync(envelopes[i], attempt, token));
        return outcomes.Contains(ProcessingOutcome.Parked) ? ProcessingOutcome.Parked : ProcessingOutcome.Processed;
    }
}
