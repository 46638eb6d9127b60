using Azure;
using Azure.Data.Tables;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// A campaign in the Campaigns table: PartitionKey the campaign id, RowKey "definition" (what it was created with and
/// who was excluded) or "status" (the decider's latest <see cref="CampaignSnapshot"/>). No personal data.
/// </summary>
public sealed class CampaignEntity : ITableEntity
{
    public const string DefinitionRow = "definition";
    public const string StatusRow = "status";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>JSON of <see cref="CampaignDefinition"/> or <see cref="CampaignSnapshot"/>.</summary>
    public string Json { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
