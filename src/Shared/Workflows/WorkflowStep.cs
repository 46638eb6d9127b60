namespace Messaging.Shared.Workflows;

/// <summary>The outcome of applying one input: the new state, the effects it owes, and what the host must arrange.</summary>
public sealed record WorkflowStep(string StateJson, string StateKind, IReadOnlyList<string> Effects, bool Terminal, DateTimeOffset? Deadline);
