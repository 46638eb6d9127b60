namespace Messaging.Shared.Workflows;

/// <summary>Where an instance stands, as both hosts record it.</summary>
public static class WorkflowStatus
{
    public const string Running = "running";
    public const string Completed = "completed";

    /// <summary>An effect failed for good and the decider had no way forward; the operator must look.</summary>
    public const string Failed = "failed";

    public const string Terminated = "terminated";
}
