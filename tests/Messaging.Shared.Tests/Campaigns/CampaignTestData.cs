using Messaging.Shared.Campaigns;

namespace Messaging.Shared.Tests.Campaigns;

internal static class CampaignTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public static readonly CampaignTemplateRef Template = new("winter_sale", "de");

    public static CampaignPlan Plan(int pages = 3, string id = "c-1") => new(id, Template, "marketing", Marketing: true, pages, pages * 100);

    public static CampaignInput.Created Created(int pages = 3) => new(Plan(pages), T0);

    public static CampaignInput.StartRequested Start(DateTimeOffset? sendAt = null, int minutes = 1) => new(sendAt, T0.AddMinutes(minutes));

    public static CampaignTally Tally(int sent, string? skipped = null, int skippedCount = 0, string? failed = null, int failedCount = 0)
    {
        var tally = CampaignTally.Empty;
        for (var i = 0; i < sent; i++)
        {
            tally = tally.WithSent();
        }

        for (var i = 0; skipped is not null && i < skippedCount; i++)
        {
            tally = tally.WithSkipped(skipped);
        }

        for (var i = 0; failed is not null && i < failedCount; i++)
        {
            tally = tally.WithFailed(failed);
        }

        return tally;
    }

    public static CampaignInput.PageSent Done(int page, int round, int sent = 100, int minutes = 2) =>
        new(page, round, Tally(sent), 0, false, null, T0.AddMinutes(minutes));
}
