namespace Messaging.Shared.Contacts;

/// <summary>Maps identifiers (phone number, WhatsApp id, business-scoped user id) to the one contact key.</summary>
public interface IContactDirectory
{
    /// <summary>The contact for an E.164 number, created (with its data key) when unknown. Used by CRM and opt-in flows.</summary>
    Task<string> ResolveOrCreateByPhoneAsync(string phoneE164, CancellationToken cancellationToken);

    /// <summary>The contact for an E.164 number, or null when we have never seen it.</summary>
    Task<string?> FindByPhoneAsync(string phoneE164, CancellationToken cancellationToken);

    /// <summary>Decrypted address of a contact, or null when unknown or erased.</summary>
    Task<ContactAddress?> GetAddressAsync(string contactKey, CancellationToken cancellationToken);
}
