using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Events;

/// <summary>
/// What both hosts do with a message of the events-out queue (LocalHost's EventDeliveryWorker, Azure's queue trigger):
/// deliver the contact's pending events and, when a receiver is backing off, put a delayed nudge on the queue. The
/// message only names the contact; the events themselves stay in the outbox until acknowledged or parked.
/// </summary>
public sealed class EventDeliveryOperations(EventDispatcher dispatcher, EventOutbox outbox, ILogger<EventDeliveryOperations> logger)
{
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var contactKey = message.Trim();
        if (!IsContactKey(contactKey))
        {
            logger.LogWarning("Events-out message dropped: it does not name a contact key");
            return;
        }

        if (await dispatcher.DeliverAsync(contactKey, cancellationToken) is { } later)
        {
            await outbox.NudgeAsync(contactKey, later, cancellationToken);
        }
    }

    private static bool IsContactKey(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
