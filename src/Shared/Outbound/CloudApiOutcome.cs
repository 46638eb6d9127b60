namespace Messaging.Shared.Outbound;

public enum CloudApiOutcome
{
    /// <summary>Meta returned a wamid: the message is accepted (not yet delivered).</summary>
    Accepted,

    /// <summary>Meta certainly did not take the message (error envelope, or the request never left this process).</summary>
    NotAccepted,

    /// <summary>The request may have reached Meta but no answer proves either way (timeout, reset, 5xx without an envelope).</summary>
    Unknown,
}
