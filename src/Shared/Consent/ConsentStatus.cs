namespace Messaging.Shared.Consent;

/// <summary>Where a contact's consent for one purpose stands, as projected from the consent ledger.</summary>
public enum ConsentStatus
{
    None = 0,
    Pending = 1,
    Confirmed = 2,
    Declined = 3,
    Expired = 4,
    Withdrawn = 5,
}
