namespace Messaging.Shared.Campaigns;

/// <summary>
/// What a campaign was created with. The audience itself is not here: it lives in the CampaignRecipients table,
/// <paramref name="PageCount"/> pages of at most <see cref="CampaignRecipientStore.PageSize"/> recipients, so the
/// decider's state stays the same size for ten recipients or a million.
/// </summary>
/// <param name="Purpose">The consent purpose checked at each send (marketing for a marketing template).</param>
/// <param name="Marketing">The template's category is MARKETING: only confirmed marketing consent receives it.</param>
/// <param name="Eligible">Recipients in the snapshot after the exclusions at creation time.</param>
/// <param name="PagesPerDispatch">Pages one dispatch sends (about <see cref="CampaignOptions.DispatchSeconds"/> at the
/// number's rate), so the hops between dispatches cost a small share of the sending time.</param>
/// <param name="Audience">Which snapshot: null for the one written at creation, else the id of an uploaded CSV's.</param>
public sealed record CampaignPlan(
    string CampaignId,
    CampaignTemplateRef Template,
    string Purpose,
    bool Marketing,
    int PageCount,
    int Eligible,
    string? Audience = null,
    int PagesPerDispatch = 1);
