namespace Messaging.Shared.Outbound;

public enum OutboundStatus
{
    /// <summary>Meta accepted the message (a wamid exists). Delivery is reported later by status webhooks.</summary>
    Sent,

    /// <summary>Not sent, for the reason in the category. Retryable categories may be sent again with the same SendId.</summary>
    Failed,

    /// <summary>Another sender is attempting this SendId right now; try again later.</summary>
    InProgress,

    /// <summary>
    /// A previous attempt may or may not have reached Meta (crash, timeout). Never resent automatically; an operator
    /// checks for a status webhook carrying this send's callback id before deciding.
    /// </summary>
    UnknownOutcome,
}
