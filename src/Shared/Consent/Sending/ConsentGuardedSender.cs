using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Contacts;
using Messaging.Shared.Outbound;
using Messaging.Shared.Privacy;
using Microsoft.Extensions.Logging;
using OutboundKind = Messaging.Shared.Outbound.MessageCategory;

namespace Messaging.Shared.Consent.Sending;

/// <summary>
/// The one door every business-initiated message goes through: it reads the contact's consent head and service
/// window, asks <see cref="SendPolicy"/>, and only then hands the message to the outbox. A refused send never
/// reaches Meta, and the refusal reason (no personal data) is returned and logged.
/// </summary>
public sealed class ConsentGuardedSender(
    ConsentLedger ledger,
    IContactDirectory contacts,
    OutboundMessenger messenger,
    ContactTombstones tombstones,
    TimeProvider time,
    ILogger<ConsentGuardedSender> logger)
{
    public async Task<GuardedSendResult> SendAsync(
        string sendId, string contactKey, string purpose, MessageKind kind, OutboundMessage message, CancellationToken cancellationToken)
    {
        // A repeat of a send that already happened (the privacy notice on every later message, a redelivered STOP)
        // costs one outbox read instead of the consent and contact reads below.
        if (await messenger.FindSettledAsync(contactKey, sendId, cancellationToken) is { } settled)
        {
            return new GuardedSendResult(new SendDecision(settled.Status == OutboundStatus.Sent, SendDecisionReason.AlreadySettled), settled);
        }

        var decision = await DecideAsync(contactKey, purpose, kind, cancellationToken);
        if (!decision.Allowed)
        {
            logger.LogInformation("Send {Kind} to contact {ContactKey} refused: {Reason}", kind, contactKey, decision.Reason);
            return new GuardedSendResult(decision, null);
        }

        var result = await messenger.SendAsync(new OutboundRequest(sendId, contactKey, OutboundKindOf(kind), message), cancellationToken);
        return new GuardedSendResult(decision, result);
    }

    /// <summary>
    /// What the gate would decide now, without sending: lets an API refuse at once (409 with the reason) before it
    /// queues a send, which the gate then checks again when it runs.
    /// </summary>
    public async Task<SendDecision> DecideAsync(string contactKey, string purpose, MessageKind kind, CancellationToken cancellationToken)
    {
        var head = await ledger.GetHeadAsync(contactKey, purpose, cancellationToken);
        var address = await contacts.GetAddressAsync(contactKey, cancellationToken);
        var erased = address is null || await tombstones.IsTombstonedAsync(contactKey, cancellationToken);
        var context = new SendContext(address?.IsServiceWindowOpen(time.GetUtcNow()) ?? false, ContactErased: erased);
        return SendPolicy.Decide(head, kind, context);
    }

    private static OutboundKind OutboundKindOf(MessageKind kind) => kind switch
    {
        MessageKind.Marketing => OutboundKind.Marketing,
        MessageKind.Utility or MessageKind.ConsentConfirmationRequest => OutboundKind.Utility,
        _ => OutboundKind.ServiceText,
    };
}
