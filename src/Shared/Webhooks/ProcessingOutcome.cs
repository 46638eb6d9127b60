namespace Messaging.Shared.Webhooks;

public enum ProcessingOutcome
{
    /// <summary>Every event is applied (or was already): remove the message.</summary>
    Processed,

    /// <summary>The body cannot be processed; it is in the parked store: remove the message.</summary>
    Parked,
}
