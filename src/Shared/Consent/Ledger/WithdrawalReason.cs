namespace Messaging.Shared.Consent.Ledger;

/// <summary>How a withdrawal reached us; every one of them is binding.</summary>
public enum WithdrawalReason
{
    /// <summary>A STOP keyword (or the template's "Stop promotions" button) on WhatsApp.</summary>
    StopKeyword = 1,

    /// <summary>Meta's <c>user_preferences</c> webhook with <c>value: stop</c>.</summary>
    MetaUserPreferences = 2,

    /// <summary>A send failed with error 131050: the user stopped marketing from us inside WhatsApp.</summary>
    MetaMarketingStopped = 3,

    /// <summary>Withdrawal recorded through our API (CRM, support desk, web preference centre).</summary>
    Api = 4,

    /// <summary>The contact asked for erasure (Art. 17 GDPR): every consent ends with it, and the ledger keeps the proof.</summary>
    ErasureRequested = 5,
}
