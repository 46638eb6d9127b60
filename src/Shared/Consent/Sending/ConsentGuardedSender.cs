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
    public Task<GuardedSendResult> SendAsync(
        string sendId, string contactKey, string purpose, MessageKind kind, OutboundMessage message, CancellationToken cancellationToken) =>
        SendAsync(sendId, contactKey, purpose, kind, message, GuardedSendOptions.Default, cancellationToken);

    /// <param name="options">
    /// <see cref="GuardedSendOptions.LikelyNew"/>: the caller's own records say this send was never tried (a campaign
    /// recipient still pending): the outbox look-up that spares a repeat the consent reads is skipped, and made only if
    /// the gate refuses, so a send that did happen before a crash still reports its outcome. A repeat that gets past
    /// the gate is caught by the outbox's claim.
    /// </param>
    public async Task<GuardedSendResult> SendAsync(
        string sendId, string contactKey, string purpose, MessageKind kind, OutboundMessage message, GuardedSendOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var likelyNew = options.LikelyNew;
        // A repeat of a send that already happened (the privacy notice on every later message, a redelivered STOP)
        // costs one outbox read instead of the consent and contact reads below.
        if (!likelyNew && await FindSettledAsync(contactKey, sendId, cancellationToken) is { } settled)
        {
            return settled;
        }

        var (decision, address) = await DecideWithAddressAsync(contactKey, purpose, kind, cancellationToken);
        if (!decision.Allowed)
        {
            if (likelyNew && await FindSettledAsync(contactKey, sendId, cancellationToken) is { } happened)
            {
                return happened;
            }

            logger.LogInformation("Send {Kind} to contact {ContactKey} refused: {Reason}", kind, contactKey, decision.Reason);
            return new GuardedSendResult(decision, null);
        }

        // The address just read goes along: the outbox would otherwise read the same profile again.
        var result = await messenger.SendAsync(new OutboundRequest(sendId, contactKey, OutboundKindOf(kind), message, options.Tag), address, likelyNew, cancellationToken);
        return new GuardedSendResult(decision, result);
    }

    /// <summary>
    /// What the gate would decide now, without sending: lets an API refuse at once (409 with the reason) before it
    /// queues a send, which the gate then checks again when it runs.
    /// </summary>
    public async Task<SendDecision> DecideAsync(string contactKey, string purpose, MessageKind kind, CancellationToken cancellationToken) =>
        (await DecideWithAddressAsync(contactKey, purpose, kind, cancellationToken)).Decision;

    private async Task<GuardedSendResult?> FindSettledAsync(string contactKey, string sendId, CancellationToken cancellationToken) =>
        await messenger.FindSettledAsync(contactKey, sendId, cancellationToken) is { } settled
            ? new GuardedSendResult(new SendDecision(settled.Status == OutboundStatus.Sent, SendDecisionReason.AlreadySettled), settled)
            : null;

    /// <summary>The three reads are independent: made at once, they cost one round trip of time instead of three.</summary>
    private async Task<(SendDecision Decision, ContactAddress? Address)> DecideWithAddressAsync(string contactKey, string purpose, MessageKind kind, CancellationToken cancellationToken)
    {
        var head = ledger.GetHeadAsync(contactKey, purpose, cancellationToken);
        var address = contacts.GetAddressAsync(contactKey, cancellationToken);
        var tombstoned = tombstones.IsTombstonedAsync(contactKey, cancellationToken);
        await Task.WhenAll(head, address, tombstoned);
        var erased = await address is null || await tombstoned;
        var context = new SendContext((await address)?.IsServiceWindowOpen(time.GetUtcNow()) ?? false, ContactErased: erased);
        return (SendPolicy.Decide(await head, kind, context), erased ? null : await address);
    }

    private static OutboundKind OutboundKindOf(MessageKind kind) => kind switch
    {
        MessageKind.Marketing => OutboundKind.Marketing,
        MessageKind.Utility or MessageKind.ConsentConfirmationRequest => OutboundKind.Utility,
        _ => OutboundKind.ServiceText,
    };
}
