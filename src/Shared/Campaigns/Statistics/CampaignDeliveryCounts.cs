using System.Collections.Immutable;

namespace Messaging.Shared.Campaigns.Statistics;

/// <summary>What status webhooks said about a campaign's messages: delivered, read, and failed by Meta's error code.</summary>
public sealed record CampaignDeliveryCounts(int Delivered, int Read, ImmutableSortedDictionary<string, int> FailedByCode)
{
    public static CampaignDeliveryCounts Empty { get; } = new(0, 0, ImmutableSortedDictionary<string, int>.Empty);

    public CampaignDeliveryCounts Add(CampaignDeliveryCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var failed = other.FailedByCode.Aggregate(FailedByCode, (acc, kv) => acc.SetItem(kv.Key, acc.GetValueOrDefault(kv.Key) + kv.Value));
        return new(Delivered + other.Delivered, Read + other.Read, failed);
    }
}
