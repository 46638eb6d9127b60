namespace Messaging.Shared.Contacts;

/// <summary>How to reach a contact: decrypted identifiers, only ever held in memory for the duration of a send.</summary>
public sealed record ContactAddress(string ContactKey, string? PhoneE164, string? UserId, DateTimeOffset? LastInboundAt)
{
    /// <summary>Free-form messages are allowed only within 24 hours of the contact's last message to us.</summary>
    public bool IsServiceWindowOpen(DateTimeOffset now) => LastInboundAt is { } last && now - last < TimeSpan.FromHours(24);

    // Records print every member; this one holds a phone number, so its text form names only the contact key.
    public override string ToString() => $"ContactAddress {{ ContactKey = {ContactKey} }}";
}
