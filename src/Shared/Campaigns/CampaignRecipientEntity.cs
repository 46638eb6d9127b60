using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// One recipient of a campaign's audience snapshot. PartitionKey "{campaignId}-p{page}" (one page is one entity group,
/// so a page is written atomically), RowKey the contact key. Template parameters (names, order numbers) are personal
/// data: sealed with the contact's own key, so shredding it at erasure makes them unreadable here too.
/// </summary>
public sealed class CampaignRecipientEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary><see cref="RecipientState"/> name.</summary>
    public string State { get; set; } = nameof(RecipientState.Pending);

    /// <summary>Skip reason or failure code once settled; no personal data.</summary>
    public string? Outcome { get; set; }

    /// <summary>
    /// Part of the send id. Raised only after Meta refused the send for certain (132015: template paused), so the
    /// retry after resume is a new send and still never a second message.
    /// </summary>
    public int Generation { get; set; }

    public byte[]? ParametersSealed { get; set; }

    /// <summary>The outbox row (= <c>biz_opaque_callback_data</c>) of the send, to tie status webhooks to the campaign.</summary>
    public string? CallbackId { get; set; }

    /// <summary>The last dispatch round that tried this recipient (Sending/): a queued page knows when its sends are done.</summary>
    public int AttemptedRound { get; set; }

    /// <summary>What that try asks of the campaign: "throttled" (130429), or a pause reason (132015); null otherwise.</summary>
    public string? AttemptNote { get; set; }

    public string ContactKey => RowKey;
}
