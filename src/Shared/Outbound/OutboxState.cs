namespace Messaging.Shared.Outbound;

/// <summary>Lifecycle of an outbox row: Pending → Attempting → Sent | Failed | Unknown.</summary>
public enum OutboxState
{
    /// <summary>Recorded, Meta not called. Safe to attempt.</summary>
    Pending,

    /// <summary>One sender holds the row and may be calling Meta.</summary>
    Attempting,

    /// <summary>Meta returned a wamid. Terminal.</summary>
    Sent,

    /// <summary>Meta certainly did not take the message. Terminal unless the category is retryable.</summary>
    Failed,

    /// <summary>Meta may have taken the message. Terminal for automation; an operator decides.</summary>
    Unknown,
}
