namespace Messaging.Shared.Messages;

/// <summary>What applying a status did: the message's status afterwards, and whether this status was new to it.</summary>
public sealed record StatusApplied(string? Current, bool IsNew);
