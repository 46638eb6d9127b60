namespace Messaging.Shared.Outbound;

/// <summary>
/// Why a message is sent. The consent policy (not this feature) decides whether a kind may go to a contact; the
/// messenger only records it, so the outbox shows what each send claimed to be.
/// </summary>
public enum MessageCategory
{
    /// <summary>Marketing template (Meta category marketing).</summary>
    Marketing,

    /// <summary>Utility template, e.g. the double opt-in confirmation request.</summary>
    Utility,

    /// <summary>Authentication template (one-time codes).</summary>
    Authentication,

    /// <summary>Free-form reply inside the 24-hour customer service window.</summary>
    ServiceText,
}
