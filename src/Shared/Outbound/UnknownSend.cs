namespace Messaging.Shared.Outbound;

/// <summary>
/// An operator's view of a send whose outcome is unknown: no content, no address, only the contact key and the
/// callback id to search Meta's status webhooks (and support tools) for, and what kind of message it was.
/// </summary>
public sealed record UnknownSend(
    string ContactKey,
    string CallbackId,
    string Kind,
    string MessageType,
    string? TemplateName,
    DateTimeOffset? AttemptStartedAt,
    DateTimeOffset? CompletedAt,
    int AttemptCount);
