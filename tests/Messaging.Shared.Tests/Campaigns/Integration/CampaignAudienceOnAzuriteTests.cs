using System.Text;
using System.Text.Json;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Api;
using Messaging.Shared.Campaigns.Audience;
using Messaging.Shared.Tests.Infrastructure;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Campaigns.Integration;

/// <summary>The CSV upload, the consent segment and Idempotency-Key, through the shared operations on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignAudienceOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_csv_with_quotes_a_byte_order_mark_and_crlf_replaces_the_drafts_audience_and_each_person_gets_their_own_parameters()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        await harness.ContactAsync("+4915100000001");
        await harness.ContactAsync("+4915100000002");
        await harness.ContactAsync("+4915100000003", consent: false);
        var draft = await harness.DraftAsync("winter_sale", "de");
        var csv = "phone,name,percent\r\n"
            + "+4915100000001,\"Müller, Erika\",20\r\n"
            + "\"+49 151 00000002\",Max,\"3\"\"0\"\r\n"
            + "+4915100000003,Eva,10\r\n"
            + "+4915199999999,Nobody,10\r\n"
            + "+49 151 00000001,Erika again,50\r\n";

        var result = await harness.UploadAsync(draft.CampaignId, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(csv)]);

        var counts = Assert.IsType<AudienceImportResult.Imported>(result).Counts;
        Assert.Equal((5, 2), (counts.AudienceSize, counts.Eligible));
        Assert.Equal(new CampaignExclusions(NoConsent: 1, Withdrawn: 0, Erased: 0, UnknownContact: 1, Duplicate: 1), counts.Excluded);
        Assert.Equal((5, 2), ((await harness.CampaignAsync(draft.CampaignId)).Total, (await harness.CampaignAsync(draft.CampaignId)).Eligible));
        var done = await harness.RunToEndAsync(draft.CampaignId);
        Assert.True(done.Sent == 2, JsonSerializer.Serialize(done));
        var parameters = harness.SentBodies.Select(b => string.Join("|", JsonDocument.Parse(b).RootElement.GetProperty("template").GetProperty("components")[0]
            .GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("text").GetString()))).Order().ToList();
        Assert.Equal(["Max|3\"0", "Müller, Erika|20"], parameters);
    }

    [Fact]
    public async Task A_csv_with_bad_rows_lists_them_by_number_without_their_values_and_imports_nothing()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        await harness.ContactAsync("+4915100000001");
        var draft = await harness.DraftAsync("winter_sale", "de");
        Assert.IsType<AudienceImportResult.Imported>(await harness.UploadAsync(draft.CampaignId, "phone,name,percent\n+4915100000001,Erika,20\n"));
        var csv = "phone,name,percent\n"
            + "+4915100000001,Erika,20\n"
            + "0151-not-a-number,Max,30\n"
            + "+4915100000002,,30\n"
            + "+4915100000003,Eva\n"
            + "+4915100000004,\"Line\nbreak\",10\n";

        var result = await harness.UploadAsync(draft.CampaignId, csv);

        var bad = Assert.IsType<AudienceImportResult.BadRows>(result);
        Assert.Equal(4, bad.ErrorCount);
        Assert.Equal([3, 4, 5, 6], bad.Errors.Select(e => e.Row));
        Assert.Contains("'phone'", bad.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'name' is empty", bad.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("2 field(s)", bad.Errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("line break", bad.Errors[3].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(bad.Errors, e => e.Reason.Contains("0151", StringComparison.Ordinal) || e.Reason.Contains("Eva", StringComparison.Ordinal));
        var unchanged = await harness.CampaignAsync(draft.CampaignId);
        Assert.Equal((1, 1), (unchanged.Total, unchanged.Eligible));
    }

    [Theory]
    [InlineData("phone,name\n+4915100000001,Erika\n", "template", "has 2 body parameter(s), but the audience supplies 1")]
    [InlineData("mobile,name,percent\n+4915100000001,Erika,20\n", "header", "no 'phone' column")]
    [InlineData("phone,name,percent\n", "csv", "no rows")]
    public async Task A_csv_that_does_not_fit_the_template_is_refused_naming_the_problem(string csv, string field, string expected)
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        var draft = await harness.DraftAsync("winter_sale", "de");

        var invalid = Assert.IsType<AudienceImportResult.Invalid>(await harness.UploadAsync(draft.CampaignId, csv));

        Assert.Equal(field, invalid.Field);
        Assert.Contains(expected, invalid.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_larger_than_the_bound_is_refused_and_nothing_imported()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite, new() { ["Campaigns:MaxAudienceCsvBytes"] = "1000" });
        await harness.ContactAsync("+4915100000001");
        var draft = await harness.DraftAsync("new_collection", "de", "+4915100000001");
        var csv = "phone\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"+49151{i:D8}\n"));

        Assert.IsType<AudienceImportResult.TooLarge>(await harness.UploadAsync(draft.CampaignId, csv));
        Assert.Equal(1, (await harness.CampaignAsync(draft.CampaignId)).Eligible);
    }

    [Fact]
    public async Task A_draft_without_an_audience_cannot_start_until_a_csv_brings_one()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        var draft = await harness.DraftAsync("winter_sale", "de");

        var (_, conflict) = await harness.Core.Get<CampaignOperations>().CommandAsync(draft.CampaignId, "start", CancellationToken.None);

        Assert.Contains("without an audience", conflict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_drafts_audience_can_be_replaced()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        await harness.ContactAsync("+4915100000001");
        var draft = await harness.DraftAsync("new_collection", "de", "+4915100000001");
        await harness.RunToEndAsync(draft.CampaignId);

        var result = await harness.UploadAsync(draft.CampaignId, "phone\n+4915100000001\n");

        Assert.Equal("completed", Assert.IsType<AudienceImportResult.NotDraft>(result).Status);
        Assert.IsType<AudienceImportResult.NotFound>(await harness.UploadAsync("c-no-such", "phone\n+4915100000001\n"));
    }

    [Fact]
    public async Task The_marketing_segment_is_everyone_with_confirmed_marketing_consent_and_nobody_who_withdrew()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        await harness.ContactAsync("+4915100000001");
        await harness.ContactAsync("+4915100000002");
        var withdrew = await harness.ContactAsync("+4915100000003");
        await harness.Ledger.AppendAsync(withdrew, Withdrawn(1, "wd-3"), CancellationToken.None);
        await harness.ContactAsync("+4915100000004", consent: false);

        var (created, _, problem) = await harness.Core.Get<CampaignOperations>().CreateAsync(
            new CreateCampaignBody("Everyone", new CampaignTemplateRef("new_collection", "de"), "marketing", new CampaignAudienceBody(null, null, new CampaignSegmentBody("marketing")), null),
            CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal((2, 2, CampaignExclusions.None), (created!.AudienceSize, created.Eligible, created.Excluded));
        Assert.Equal(2, (await harness.RunToEndAsync(created.CampaignId)).Sent);
    }

    [Fact]
    public async Task A_create_retried_with_the_same_idempotency_key_answers_with_the_same_campaign_and_another_body_is_refused()
    {
        await using var harness = await CampaignApiHarness.StartAsync(azurite);
        await harness.ContactAsync("+4915100000001");
        var operations = harness.Core.Get<CampaignOperations>();
        CreateCampaignBody Body(string name) => new(name, new CampaignTemplateRef("new_collection", "de"), "marketing", new CampaignAudienceBody(["+4915100000001"], null, null), null);

        var first = await operations.CreateAsync(Body("Winter"), CancellationToken.None, "key-123");
        var retry = await operations.CreateAsync(Body("Winter"), CancellationToken.None, "key-123");
        var other = await operations.CreateAsync(Body("Spring"), CancellationToken.None, "key-123");

        Assert.Equal(first.Created, retry.Created);
        Assert.Single(await operations.ListAsync(CancellationToken.None));
        Assert.Equal(CampaignOperations.IdempotencyKeyField, other.Field);
        Assert.NotEqual(first.Created!.CampaignId, (await operations.CreateAsync(Body("Winter"), CancellationToken.None, "key-456")).Created!.CampaignId);
    }
}
