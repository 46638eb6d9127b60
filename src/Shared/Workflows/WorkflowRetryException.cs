namespace Messaging.Shared.Workflows;

/// <summary>An effect could not finish for a reason that passes (throttling, Meta unavailable); the host runs it again later.</summary>
public sealed class WorkflowRetryException : Exception
{
    public WorkflowRetryException()
    {
    }

    public WorkflowRetryException(string message)
        : base(message)
    {
    }

    public WorkflowRetryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
