namespace Messaging.Shared.Consent.OptIn;

/// <summary>How a double opt-in ended.</summary>
public enum DoubleOptInOutcome
{
    Confirmed = 1,
    Declined = 2,
    Expired = 3,
    Withdrawn = 4,

    /// <summary>The confirmation request could not be delivered; the pending request was closed as expired.</summary>
    Failed = 5,
}
