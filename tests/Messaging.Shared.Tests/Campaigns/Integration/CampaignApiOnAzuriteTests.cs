using System.Text.Json;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Api;
using Messaging.Shared.Contacts;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using WireMock.ResponseBuilders;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Campaigns.Integration;

/// <summary>Creating and running a campaign through <see cref="CampaignOperations"/>, with WireMock serving the sandbox's templates as Graph.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignApiOnAzuriteTests(AzuriteFixture azurite)
{
    private static async Task<ConsentHarness> StartAsync(AzuriteFixture azurite)
    {
        var settings = ConsentHarness.Settings(azurite);
        settings["Meta:BusinessAccountId"] = "102290129340398";
        var harness = await ConsentHarness.StartAsync(azurite, settings, configure: s => s.AddCampaigns(new ConfigurationBuilder().Build()));
        harness.Graph.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v24.0/102290129340398/message_templates").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new { data = SandboxTemplates.All })));
        return harness;
    }

    private static CreateCampaignBody Body(string template, params string[] phones) => Body(template, "de", phones);

    private static CreateCampaignBody Body(string template, string language, params string[] phones) =>
        new("Winter", new CampaignTemplateRef(template, language), "marketing", new CampaignAudienceBody([.. phones], null, null), null);

    [Fact]
    public async Task Creating_a_campaign_reports_who_is_excluded_and_why_and_starting_it_sends_only_to_the_eligible()
    {
        await using var harness = await StartAsync(azurite);
        var directory = harness.Core.Get<ContactDirectory>();
        var consented = await directory.ResolveOrCreateByPhoneAsync("+4915100000001", CancellationToken.None);
        await harness.Ledger.AppendAsync(consented, Granted(0, "gr-a"), CancellationToken.None);
        var withdrawn = await directory.ResolveOrCreateByPhoneAsync("+4915100000002", CancellationToken.None);
        await harness.Ledger.AppendAsync(withdrawn, Granted(0, "gr-b"), CancellationToken.None);
        await harness.Ledger.AppendAsync(withdrawn, Withdrawn(1, "wd-b"), CancellationToken.None);
        await directory.ResolveOrCreateByPhoneAsync("+4915100000003", CancellationToken.None);
        var operations = harness.Core.Get<CampaignOperations>();

        var (created, _, problem) = await operations.CreateAsync(
            Body("new_collection", "de", "+4915100000001", "+49 151 00000001", "+4915100000002", "+4915100000003", "+4915199999999"), CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal((5, 1), (created!.AudienceSize, created.Eligible));
        Assert.Equal(new CampaignExclusions(NoConsent: 1, Withdrawn: 1, Erased: 0, UnknownContact: 1, Duplicate: 1), created.Excluded);
        Assert.Null((await operations.CommandAsync(created.CampaignId, "start", CancellationToken.None)).Conflict);
        await Eventually.TrueAsync(async () => (await operations.GetAsync(created.CampaignId, CancellationToken.None))?.Status == "completed", TimeSpan.FromSeconds(60));
        var done = (await operations.GetAsync(created.CampaignId, CancellationToken.None))!;
        Assert.Equal(1, done.Sent);
        Assert.Single(harness.SentBodies);
        Assert.Equal("Cannot pause a campaign that is completed.", (await operations.CommandAsync(created.CampaignId, "pause", CancellationToken.None)).Conflict);
    }

    [Theory]
    [InlineData("flash_deal", "de", "Art. 21(4)")]
    [InlineData("spring_teaser", "en", "is PAUSED, not APPROVED")]
    [InlineData("winter_sale", "de", "has 2 body parameter(s), but the audience supplies 0")]
    [InlineData("no_such_template", "de", "does not exist")]
    public async Task A_template_that_cannot_carry_the_campaign_is_refused_naming_the_problem(string template, string language, string expected)
    {
        await using var harness = await StartAsync(azurite);

        var (created, field, problem) = await harness.Core.Get<CampaignOperations>().CreateAsync(Body(template, language, "+4915100000001"), CancellationToken.None);

        Assert.Null(created);
        Assert.Equal("template", field);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
