using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Outbox index row that lets a status webhook, which knows only the wamid, find its send:
/// PartitionKey = <c>wamid-</c> + keyed hash of the wamid, RowKey = <c>index</c>. It holds only opaque keys.
/// </summary>
public sealed class WamidIndexEntity : ITableEntity
{
    public const string PartitionPrefix = "wamid-";
    public const string IndexRowKey = "index";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = IndexRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ContactKey { get; set; } = "";

    /// <summary>RowKey of the outbox row (= the send's callback id).</summary>
    public string SendKey { get; set; } = "";
}
