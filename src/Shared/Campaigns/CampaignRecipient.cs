namespace Messaging.Shared.Campaigns;

/// <summary>One eligible recipient of the snapshot: the contact key and the body parameters for this person.</summary>
public sealed record CampaignRecipient(string ContactKey, IReadOnlyList<string> Parameters)
{
    public override string ToString() => $"CampaignRecipient {{ ContactKey = {ContactKey}, Parameters = {Parameters.Count} }}";
}
