namespace Messaging.Shared.Consent.Sending;

/// <summary>
/// The queue between the features that decide to send and the worker that sends: a Storage Queue on LocalHost, the
/// <c>outbound-messages</c> Service Bus queue in Azure (one session per business number, so one consumer paces it).
/// An enqueue that returns is durable.
/// </summary>
public interface IOutboundSendQueue
{
    Task EnqueueAsync(OutboundSendCommand command, TimeSpan delay, CancellationToken cancellationToken);
}
