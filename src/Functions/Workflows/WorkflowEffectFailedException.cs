namespace Messaging.Functions.Workflows;

/// <summary>An effect failed after every retry and its workflow has no way forward: the instance fails, visibly.</summary>
public sealed class WorkflowEffectFailedException : Exception
{
    public WorkflowEffectFailedException()
    {
    }

    public WorkflowEffectFailedException(string effectId)
        : base($"Effect {effectId} failed after every retry.")
    {
    }

    public WorkflowEffectFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
