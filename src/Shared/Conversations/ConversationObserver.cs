using Messaging.Shared.Events;
using Messaging.Shared.Messages;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Conversations;

/// <summary>
/// Keeps the conversation row and the event outbox in step with the message store: called after a message or
/// status is stored, inside the event's inbox claim, so a crash repeats the whole follow-up and both writes are
/// idempotent (keyed by the inbound event). Being repeated until done, it may deliver the events it writes itself.
/// </summary>
public sealed class ConversationObserver(ConversationStore conversations, EventOutbox events, MessageStore messages) : IInboundObserver
{
    public async Task OnMessageAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken)
    {
        var messageId = messages.RowKeyOf(message.MessageId);
        var preview = message.Text ?? $"[{message.Type}]";
        await conversations.NoteInboundAsync(contactKey, messageId, message.Timestamp, preview, message.Contact?.ProfileName, cancellationToken);
        await events.AppendAndDeliverAsync(
            contactKey,
            message.EventId,
            EventTypes.MessageReceived,
            message.Timestamp,
            new Dictionary<string, object?> { ["contactKey"] = contactKey, ["messageId"] = messageId, ["kind"] = message.Type, ["direction"] = "in" },
            new Dictionary<string, string?> { ["text"] = message.Text, ["profileName"] = message.Contact?.ProfileName },
            cancellationToken);
    }

    public Task OnStatusAsync(string contactKey, StatusUpdate status, CancellationToken cancellationToken) =>
        events.AppendAndDeliverAsync(
            contactKey,
            status.EventId,
            EventTypes.MessageStatus,
            status.Timestamp,
            new Dictionary<string, object?>
            {
                ["contactKey"] = contactKey,
                ["messageId"] = messages.RowKeyOf(status.MessageId),
                ["status"] = status.Status,
                ["errorCode"] = status.Errors.Count > 0 ? status.Errors[0].Code : null,
            },
            null,
            cancellationToken);
}
