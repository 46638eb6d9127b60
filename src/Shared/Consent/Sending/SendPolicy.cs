using Messaging.Shared.Consent.Ledger;

namespace Messaging.Shared.Consent.Sending;

/// <summary>
/// The gate every outbound message passes. Pass the consent head for the message's own purpose (marketing for a
/// marketing template, the service purpose for a utility template), or null when the ledger has none.
/// <list type="bullet">
/// <item>Nothing at all to an erased or suppressed contact.</item>
/// <item>Marketing only with Confirmed consent.</item>
/// <item>The double opt-in template only while a request is Pending.</item>
/// <item>Utility templates need no consent, but not after the contact withdrew for that very purpose. A marketing
/// STOP (or Meta's 131050) does not block them; Meta delivers utility to such users too.</item>
/// <item>Free-form messages only inside the 24-hour window. The opt-out confirmation only after a withdrawal and
/// only once. Service replies and the privacy notice answer the contact and are not advertising, so they do
/// not depend on marketing consent.</item>
/// </list>
/// </summary>
public static class SendPolicy
{
    public static SendDecision Decide(ConsentHead? consent, MessageKind kind, SendContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ContactErased)
        {
            return SendDecision.Deny(SendDecisionReason.ContactErased);
        }

        var status = consent?.Status ?? ConsentStatus.None;
        return kind switch
        {
            MessageKind.Marketing => status switch
            {
                ConsentStatus.Confirmed => SendDecision.Allow(SendDecisionReason.ConsentConfirmed),
                ConsentStatus.Withdrawn => SendDecision.Deny(SendDecisionReason.ConsentWithdrawn),
                _ => SendDecision.Deny(SendDecisionReason.NoConfirmedConsent),
            },
            MessageKind.ConsentConfirmationRequest => status == ConsentStatus.Pending
                ? SendDecision.Allow(SendDecisionReason.ConsentPending)
                : SendDecision.Deny(SendDecisionReason.NoPendingRequest),
            MessageKind.Utility => status == ConsentStatus.Withdrawn
                ? SendDecision.Deny(SendDecisionReason.ConsentWithdrawn)
                : SendDecision.Allow(SendDecisionReason.NoConsentRequired),
            MessageKind.OptOutConfirmation => OptOutConfirmation(status, context),
            MessageKind.ServiceText or MessageKind.PrivacyNotice => context.ServiceWindowOpen
                ? SendDecision.Allow(SendDecisionReason.NoConsentRequired)
                : SendDecision.Deny(SendDecisionReason.ServiceWindowClosed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown message kind."),
        };
    }

    private static SendDecision OptOutConfirmation(ConsentStatus status, SendContext context)
    {
        if (status != ConsentStatus.Withdrawn)
        {
            return SendDecision.Deny(SendDecisionReason.NothingToConfirm);
        }

        return context.ServiceWindowOpen
            ? SendDecision.Allow(SendDecisionReason.AcknowledgesWithdrawal)
            : SendDecision.Deny(SendDecisionReason.ServiceWindowClosed);
    }
}
