namespace Messaging.Shared.Consent.OptIn;

/// <summary>The contact's answer to a double opt-in confirmation request.</summary>
public enum ReplyKind
{
    Confirm = 1,
    Decline = 2,
}
