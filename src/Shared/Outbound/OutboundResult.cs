namespace Messaging.Shared.Outbound;

/// <summary>What happened to a send. Carries no personal data and no wamid.</summary>
/// <param name="CallbackId">
/// Keyed hash of the SendId: the outbox RowKey and the <c>biz_opaque_callback_data</c> Meta echoes in status webhooks.
/// </param>
/// <param name="RetryNotBefore">For retryable failures with a required pause (131049): the earliest sensible retry.</param>
public sealed record OutboundResult(
    string SendId,
    string CallbackId,
    OutboundStatus Status,
    SendErrorCategory? Category = null,
    int? ErrorCode = null,
    string? MessageStatus = null,
    DateTimeOffset? RetryNotBefore = null)
{
    public bool IsRetryable => Status is OutboundStatus.InProgress
        || (Status == OutboundStatus.Failed && Category is { } c && CloudApiErrorClassifier.IsRetryableLater(c));
}
