namespace Messaging.LocalHost.Workflows;

/// <summary>What LocalHost's driver stores about an instance, for tests and operators: state JSON, its kind, status, owed effects.</summary>
public sealed record WorkflowSnapshot(string StateJson, string StateKind, string Status, int PendingEffects);
