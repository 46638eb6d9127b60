using System.Collections.Immutable;

namespace Messaging.Shared.Campaigns;

/// <summary>
/// Counts of what happened to recipients: sent, skipped by reason (withdrawnDuringCampaign, perUserMarketingCap,
/// erased, …) and failed by code. Keys are reasons and Meta codes only, never anything about a person.
/// </summary>
public sealed record CampaignTally(int Sent, ImmutableSortedDictionary<string, int> Skipped, ImmutableSortedDictionary<string, int> Failed)
{
    public static CampaignTally Empty { get; } = new(0, ImmutableSortedDictionary<string, int>.Empty, ImmutableSortedDictionary<string, int>.Empty);

    public int Settled => Sent + Skipped.Values.Sum() + Failed.Values.Sum();

    public CampaignTally Add(CampaignTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Sent + other.Sent, Merge(Skipped, other.Skipped), Merge(Failed, other.Failed));
    }

    public CampaignTally WithSent() => this with { Sent = Sent + 1 };

    public CampaignTally WithSkipped(string reason) => this with { Skipped = Merge(Skipped, reason, 1) };

    public CampaignTally WithFailed(string code) => this with { Failed = Merge(Failed, code, 1) };

    public bool SameCounts(CampaignTally other) =>
        other is not null && Sent == other.Sent && Skipped.SequenceEqual(other.Skipped) && Failed.SequenceEqual(other.Failed);

    private static ImmutableSortedDictionary<string, int> Merge(ImmutableSortedDictionary<string, int> a, ImmutableSortedDictionary<string, int> b) =>
        b.Aggregate(a, (acc, kv) => Merge(acc, kv.Key, kv.Value));

    private static ImmutableSortedDictionary<string, int> Merge(ImmutableSortedDictionary<string, int> counts, string key, int by) =>
        counts.SetItem(key, counts.GetValueOrDefault(key) + by);
}
