namespace Messaging.Shared.Outbound;

/// <summary>What a failed send means for the caller. The first nine come from Meta's error codes; the rest are ours.</summary>
public enum SendErrorCategory
{
    /// <summary>Too many messages (130429, 131056, 4, 80007): back off and retry.</summary>
    Throttled,

    /// <summary>Free-form outside the 24-hour service window (131047, or refused locally): use a template.</summary>
    ClosedWindow,

    /// <summary>The user stopped marketing messages at Meta (131050): the caller withdraws marketing consent.</summary>
    MarketingOptOut,

    /// <summary>Meta's per-user marketing cap (131049): not an opt-out; retry after at least 24 hours.</summary>
    EcosystemCap,

    /// <summary>The template or its parameters are wrong, paused or disabled (132xxx).</summary>
    TemplateFault,

    /// <summary>The recipient cannot receive WhatsApp messages (131026).</summary>
    Undeliverable,

    /// <summary>Meta is temporarily unable to take the message (131000, 131016, 131057, 5xx).</summary>
    Transient,

    /// <summary>Token, permission, account or request-shape problem that an operator has to fix.</summary>
    AuthOrConfig,

    /// <summary>Anything else Meta refused; retrying will not help.</summary>
    Permanent,

    /// <summary>The contact key resolves to no contact (unknown or erased).</summary>
    ContactUnknown,

    /// <summary>The contact has no phone number (username-only BSUID contact); see <see cref="CloudApiSendRequest"/>.</summary>
    NoPhoneNumber,
}
