namespace Messaging.Shared.Campaigns;

/// <summary>Settings of section <c>Campaigns</c>.</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Sends of one page in flight at once; the throughput limiter, not this, sets the pace.</summary>
    public int SendConcurrency { get; set; } = 64;

    /// <summary>Privacy notice version recorded with a withdrawal learnt from Meta's 131050.</summary>
    public string? PrivacyNoticeVersion { get; set; }

    /// <summary>Largest audience CSV accepted (bytes); larger uploads get 413 and nothing is imported.</summary>
    public long MaxAudienceCsvBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Most data rows an audience CSV may have.</summary>
    public int MaxAudienceRows { get; set; } = 500_000;

    /// <summary>
    /// Seconds of sending (at Meta:MessagesPerSecond) one dispatch of the decider covers: longer means less overhead
    /// between dispatches, shorter means a pause takes hold sooner (it waits for the dispatch in flight).
    /// </summary>
    public double DispatchSeconds { get; set; } = 10;

    /// <summary>Pages (of <see cref="CampaignRecipientStore.PageSize"/>) per dispatch at the given rate, at least 1.</summary>
    public int PagesPerDispatch(int messagesPerSecond) =>
        (int)Math.Clamp(Math.Ceiling(messagesPerSecond * DispatchSeconds / CampaignRecipientStore.PageSize), 1, 1000);
}
