using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Outbound;

/// <summary>
/// One send in the Outbox table. PartitionKey = contact key (so erasing a contact's partition erases its sends),
/// RowKey = keyed hash of the SendId. No column holds personal data in clear: the wamid embeds the phone number, so it
/// is stored only as a keyed hash (for lookups) and sealed with the master key (for support cases).
/// </summary>
public sealed class OutboxEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary><see cref="OutboxState"/> name.</summary>
    public string State { get; set; } = nameof(OutboxState.Pending);

    /// <summary><see cref="MessageCategory"/> name.</summary>
    public string Kind { get; set; } = "";

    /// <summary><c>text</c> or <c>template</c>.</summary>
    public string MessageType { get; set; } = "";

    public string? TemplateName { get; set; }

    /// <summary><see cref="OutboundRequest.Tag"/>: what the send belongs to, such as its campaign.</summary>
    public string? Tag { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? AttemptStartedAt { get; set; }

    public int AttemptCount { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? WamidHash { get; set; }

    public byte[]? WamidSealed { get; set; }

    public string? MessageStatus { get; set; }

    /// <summary><see cref="SendErrorCategory"/> name when Failed.</summary>
    public string? ErrorCategory { get; set; }

    public int? ErrorCode { get; set; }

    public int? HttpStatus { get; set; }

    public DateTimeOffset? RetryNotBefore { get; set; }

    /// <summary>"status" when a Sent row was recorded from a status webhook's callback id after its sender died.</summary>
    public string? ResolvedBy { get; set; }

    internal OutboxState ParsedState => Enum.Parse<OutboxState>(State);

    internal SendErrorCategory? ParsedCategory => ErrorCategory is null ? null : Enum.Parse<SendErrorCategory>(ErrorCategory);
}
