namespace Messaging.Shared.Workflows;

/// <summary>An instance as the registry knows it: where it stands and when it finished.</summary>
public sealed record WorkflowRecord(WorkflowInstance Instance, string Status, DateTimeOffset? FinishedAt);
