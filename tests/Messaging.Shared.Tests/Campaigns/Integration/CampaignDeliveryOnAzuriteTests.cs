using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Api;
using Messaging.Shared.Campaigns.Statistics;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Outbound;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Campaigns.Integration;

/// <summary>Status and template webhooks acting on campaigns: delivered/read roll-up, and pauses by template status.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignDeliveryOnAzuriteTests(AzuriteFixture azurite)
{
    private static string Status(string waId, string callbackId, string status, int? errorCode = null) =>
        $$$"""{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.{{{callbackId[..12]}}}","status":"{{{status}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","recipient_id":"{{{waId}}}","biz_opaque_callback_data":"{{{callbackId}}}"{{{(errorCode is { } code ? $$""","errors":[{"code":{{code}},"title":"x"}]""" : "")}}}}]}}]}]}""";

    private static string TemplateStatus(string status, string name, string language, long at) =>
        $$$"""{"entry":[{"id":"1","time":{{{at}}},"changes":[{"field":"message_template_status_update","value":{"event":"{{{status}}}","message_template_id":777,"message_template_name":"{{{name}}}","message_template_language":"{{{language}}}","reason":"FIRST_PAUSE"}}]}]}""";

    [Fact]
    public async Task Status_webhooks_roll_up_per_campaign_each_message_once_and_read_implies_delivered()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        var keys = new[] { await harness.ContactAsync("+4915100000001"), await harness.ContactAsync("+4915100000002"), await harness.ContactAsync("+4915100000003") };
        var draft = await harness.DraftAsync("new_collection", "de", "+4915100000001", "+4915100000002", "+4915100000003");
        Assert.Equal(3, (await harness.RunToEndAsync(draft.CampaignId)).Sent);
        var outbox = harness.Core.Get<OutboxStore>();
        var callbacks = keys.Select(k => outbox.SendKey(CampaignPageSender.SendId(draft.CampaignId, k, 0))).ToArray();

        foreach (var webhook in new[]
        {
            Status("4915100000001", callbacks[0], "delivered"),
            Status("4915100000001", callbacks[0], "delivered"),
            Status("4915100000001", callbacks[0], "read"),
            Status("4915100000002", callbacks[1], "read"),
            Status("4915100000003", callbacks[2], "failed", 131026),
            Status("4915100000003", callbacks[2], "failed", 131026),
            Status("4915100000003", "f00dbabe" + callbacks[2][8..], "delivered"),
        })
        {
            await harness.DeliverAsync(webhook);
        }

        var campaign = await harness.CampaignAsync(draft.CampaignId);
        Assert.Equal((2, 2), (campaign.Delivered, campaign.Read));
        Assert.Equal(1, campaign.Failed.ByCode["131026"]);
    }

    [Fact]
    public async Task Counters_spread_over_shards_count_every_message_once_under_concurrent_and_repeated_statuses()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        var statistics = harness.Core.Get<CampaignStatistics>();
        var callbacks = Enumerable.Range(0, 200).Select(i => $"{i:x32}").ToArray();
        var statuses = callbacks.SelectMany(c => new[] { (c, "delivered"), (c, "read"), (c, "delivered"), (c, "read") })
            .Concat(callbacks.Take(20).Select(c => (c, "failed")))
            .OrderBy(_ => Random.Shared.Next()).ToArray();

        await Parallel.ForEachAsync(statuses, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (s, ct) =>
            await statistics.RecordAsync("c-load", s.Item1, s.Item2, s.Item2 == "failed" ? "131049" : null, ct));

        var counts = await statistics.GetAsync("c-load", CancellationToken.None);
        Assert.Equal((200, 200, 20), (counts.Delivered, counts.Read, counts.FailedByCode["131049"]));
        Assert.True(callbacks.Select(CampaignStatistics.ShardOf).Distinct().Count() > CampaignStatistics.Shards / 2);
    }

    [Fact]
    public async Task A_template_paused_by_webhook_pauses_the_campaign_using_it_with_the_reason_and_new_campaigns_are_refused()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        await harness.ContactAsync("+4915100000001");
        var operations = harness.Core.Get<CampaignOperations>();
        var (created, _, _) = await operations.CreateAsync(
            new CreateCampaignBody("Later", new CampaignTemplateRef("new_collection", "de"), "marketing", new CampaignAudienceBody(["+4915100000001"], null, null), DateTimeOffset.UtcNow.AddHours(1)),
            CancellationToken.None);
        await Eventually.TrueAsync(async () => (await harness.CampaignAsync(created!.CampaignId)).Status == "scheduled", TimeSpan.FromSeconds(30));

        await harness.DeliverAsync(TemplateStatus("PAUSED", "new_collection", "de", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        await Eventually.TrueAsync(async () => (await harness.CampaignAsync(created!.CampaignId)).Status == "paused", TimeSpan.FromSeconds(30));
        Assert.Equal("template-paused (FIRST_PAUSE)", (await harness.CampaignAsync(created!.CampaignId)).PausedReason);
        Assert.Equal("PAUSED", (await harness.Core.Get<MessageTemplateCatalog>().ListAsync(CancellationToken.None)).Single(t => t is { Name: "new_collection", Language: "de" }).Status);
        var (refused, field, problem) = await operations.CreateAsync(
            new CreateCampaignBody("Again", new CampaignTemplateRef("new_collection", "de"), "marketing", new CampaignAudienceBody(["+4915100000001"], null, null), null),
            CancellationToken.None);
        Assert.Null(refused);
        Assert.Equal("template", field);
        Assert.Contains("is PAUSED, not APPROVED", problem, StringComparison.Ordinal);
    }
}
