namespace Messaging.Shared.Consent.Sending;

/// <summary>What kind of outbound message is about to be sent; each kind has its own legal basis.</summary>
public enum MessageKind
{
    /// <summary>A marketing template: advertising, needs prior express consent (§ 7 Abs. 2 Nr. 2 UWG).</summary>
    Marketing = 1,

    /// <summary>A utility template (order, appointment, account update): not advertising.</summary>
    Utility = 2,

    /// <summary>A free-form reply to the contact.</summary>
    ServiceText = 3,

    /// <summary>The double opt-in template that asks the contact to confirm a pending request.</summary>
    ConsentConfirmationRequest = 4,

    /// <summary>The single free-form message acknowledging a STOP.</summary>
    OptOutConfirmation = 5,

    /// <summary>The free-form privacy notice / objection hint (Art. 13, Art. 21(4) GDPR).</summary>
    PrivacyNotice = 6,
}
