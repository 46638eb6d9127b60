using Messaging.Shared.Events;
using Messaging.Shared.Privacy.Erasure;

namespace Messaging.Shared.Conversations;

/// <summary>
/// Erasure reaches the inbox and the event outbox: the conversation row, its index row, pending and parked events go, then
/// <c>erasure.completed</c> is announced (contact key only). Runs inside the receipt effect: idempotent.
/// </summary>
public sealed class ConversationErasureObserver(ConversationStore conversations, EventOutbox events, ParkedEventStore parked, TimeProvider time) : IErasureObserver
{
    public async Task OnErasedAsync(string requestId, string contactKey, ErasureReport report, CancellationToken cancellationToken)
    {
        await conversations.DeleteAsync(contactKey, cancellationToken);
        await events.DeleteContactAsync(contactKey, cancellationToken);
        await parked.DeleteContactAsync(contactKey, cancellationToken);
        await events.AppendAsync(
            contactKey,
            "erasure:" + requestId,
            EventTypes.ErasureCompleted,
            time.GetUtcNow(),
            new Dictionary<string, object?> { ["contactKey"] = contactKey, ["requestId"] = requestId },
            null,
            cancellationToken);
    }
}
