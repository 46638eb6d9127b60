using System.Text;
using System.Text.Json;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Api;
using Messaging.Shared.Campaigns.Audience;
using Messaging.Shared.Contacts;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using WireMock.ResponseBuilders;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Campaigns.Integration;

/// <summary>A consent harness with campaigns, WireMock serving the sandbox's templates as Graph, and shortcuts for the campaign tests.</summary>
internal static class CampaignApiHarness
{
    public const string BusinessAccountId = "102290129340398";

    public static async Task<ConsentHarness> StartAsync(AzuriteFixture azurite, Dictionary<string, string?>? campaignSettings = null)
    {
        var settings = ConsentHarness.Settings(azurite);
        settings["Meta:BusinessAccountId"] = BusinessAccountId;
        var campaigns = new ConfigurationBuilder().AddInMemoryCollection(campaignSettings ?? []).Build();
        var harness = await ConsentHarness.StartAsync(azurite, settings, configure: s => s.AddCampaigns(campaigns));
        harness.Graph.Given(WireMock.RequestBuilders.Request.Create().WithPath($"/v24.0/{BusinessAccountId}/message_templates").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new { data = SandboxTemplates.All })));
        return harness;
    }

    /// <summary>A contact for the phone number, with marketing consent granted unless <paramref name="consent"/> is false.</summary>
    public static async Task<string> ContactAsync(this ConsentHarness harness, string phone, bool consent = true)
    {
        var key = await harness.Core.Get<ContactDirectory>().ResolveOrCreateByPhoneAsync(phone, CancellationToken.None);
        if (consent)
        {
            await harness.Ledger.AppendAsync(key, Granted(0, "gr-" + phone), CancellationToken.None);
        }

        return key;
    }

    /// <summary>A draft; without phones it has no audience and waits for a CSV.</summary>
    public static async Task<CampaignCreated> DraftAsync(this ConsentHarness harness, string template, string language, params string[] phones)
    {
        var (created, _, problem) = await harness.Core.Get<CampaignOperations>().CreateAsync(
            new CreateCampaignBody("Winter", new CampaignTemplateRef(template, language), "marketing", phones.Length == 0 ? null : new CampaignAudienceBody([.. phones], null, null), null),
            CancellationToken.None);
        Assert.Null(problem);
        return created!;
    }

    public static Task<AudienceImportResult> UploadAsync(this ConsentHarness harness, string campaignId, string csv) =>
        harness.UploadAsync(campaignId, Encoding.UTF8.GetBytes(csv));

    public static async Task<AudienceImportResult> UploadAsync(this ConsentHarness harness, string campaignId, byte[] csv)
    {
        using var body = new MemoryStream(csv);
        return await harness.Core.Get<AudienceImport>().ImportAsync(campaignId, body, CancellationToken.None);
    }

    public static async Task<CampaignResponse> CampaignAsync(this ConsentHarness harness, string campaignId) =>
        (await harness.Core.Get<CampaignOperations>().GetAsync(campaignId, CancellationToken.None))!;

    public static async Task<CampaignResponse> RunToEndAsync(this ConsentHarness harness, string campaignId)
    {
        var operations = harness.Core.Get<CampaignOperations>();
        Assert.Null((await operations.CommandAsync(campaignId, "start", CancellationToken.None)).Conflict);
        await Eventually.TrueAsync(async () => (await harness.CampaignAsync(campaignId)).Status == "completed", TimeSpan.FromSeconds(60));
        return await harness.CampaignAsync(campaignId);
    }
}
