namespace Messaging.Shared.Consent.Sending;

/// <summary>Why <see cref="SendPolicy"/> decided as it did. Safe for logs, metrics and audit: it holds no personal data.</summary>
public enum SendDecisionReason
{
    /// <summary>Allowed: consent for the purpose is confirmed.</summary>
    ConsentConfirmed = 1,

    /// <summary>Allowed: the message does not need consent for a purpose (utility template, service reply, notice).</summary>
    NoConsentRequired = 2,

    /// <summary>Allowed: the double opt-in template for a pending request.</summary>
    ConsentPending = 3,

    /// <summary>Allowed: the single acknowledgement of a withdrawal.</summary>
    AcknowledgesWithdrawal = 4,

    /// <summary>Denied: the contact is erased or suppressed; nothing may be sent.</summary>
    ContactErased = 10,

    /// <summary>Denied: marketing without confirmed consent.</summary>
    NoConfirmedConsent = 11,

    /// <summary>Denied: consent for the purpose was withdrawn.</summary>
    ConsentWithdrawn = 12,

    /// <summary>Denied: the double opt-in template outside a pending request.</summary>
    NoPendingRequest = 13,

    /// <summary>Denied: free-form text outside the 24-hour customer service window.</summary>
    ServiceWindowClosed = 14,

    /// <summary>Denied: an opt-out confirmation when there is no withdrawal to confirm.</summary>
    NothingToConfirm = 16,

    /// <summary>Not decided again: this send id already has its final outcome in the outbox, so nothing new goes out.</summary>
    AlreadySettled = 17,
}
