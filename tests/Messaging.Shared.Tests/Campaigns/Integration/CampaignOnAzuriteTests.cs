using System.Text.Json;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Sending;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy;
using Messaging.Shared.Tests.Consent.Integration;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Configuration;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Campaigns.Integration;

/// <summary>A campaign on LocalHost's table driver, with the real consent gate and outbox on Azurite, and WireMock as Graph.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignOnAzuriteTests(AzuriteFixture azurite)
{
    private static readonly CampaignTemplateRef Template = new("winter_sale", "de");

    private static IReadOnlyList<string> Recipients(ConsentHarness harness) =>
        [.. harness.SentBodies.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("to").GetString()!)];

    private static async Task<List<string>> ContactsAsync(ConsentHarness harness, int count, int firstNumber)
    {
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var key = await harness.Core.Get<ContactDirectory>().ResolveOrCreateByPhoneAsync($"+49151{firstNumber + i:D7}", CancellationToken.None);
            await harness.Ledger.AppendAsync(key, Granted(0, "gr-" + i), CancellationToken.None);
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>Twenty consented contacts in one page of a campaign's snapshot, and the page's first dispatch.</summary>
    private static async Task<(List<string> Contacts, CampaignRecipientStore Store, CampaignEffect.SendPage Page)> OnePageAsync(ConsentHarness harness, string campaignId, int firstNumber)
    {
        var contacts = await ContactsAsync(harness, 20, firstNumber);
        var store = harness.Core.Get<CampaignRecipientStore>();
        await store.WriteAsync(campaignId, [.. contacts.Select(c => new CampaignRecipient(c, ["Erika"]))], CancellationToken.None);
        return (contacts, store, new CampaignEffect.SendPage(campaignId, 0, 1, Template, "marketing", true, false));
    }

    private static async Task<CampaignState> RunToEndAsync(ConsentHarness harness, string campaignId, int recipients)
    {
        var host = harness.Core.Get<IWorkflowHost>();
        var instance = CampaignWorkflow.Instance(campaignId);
        var plan = new CampaignPlan(campaignId, Template, "marketing", true, CampaignRecipientStore.PageCount(recipients), recipients);
        await host.StartAsync<CampaignInput>(instance, new CampaignInput.Created(plan, DateTimeOffset.UtcNow), CancellationToken.None);
        await host.SignalAsync<CampaignInput>(instance, "operator-start", new CampaignInput.StartRequested(null, DateTimeOffset.UtcNow), CancellationToken.None);
        CampaignState? state = null;
        LocalHost.Workflows.WorkflowSnapshot? last = null;
        var finished = await Record.ExceptionAsync(() => Eventually.TrueAsync(
            async () =>
            {
                var snapshot = last = await harness.Driver.GetAsync(instance, CancellationToken.None);
                state = snapshot is null ? null : CampaignWorkflow.Definition.DeserializeState(snapshot.StateJson);
                return state is not null && Campaign.IsTerminal(state);
            },
            TimeSpan.FromSeconds(60)));
        Assert.True(finished is null, $"Campaign did not finish: {last?.Status} {last?.PendingEffects} {last?.StateJson}");
        return state!;
    }

    [Fact]
    public async Task Given_a_snapshot_when_one_person_withdraws_and_one_is_erased_before_sending_then_only_the_others_get_exactly_one_message()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, configure: s => s.AddCampaigns(new ConfigurationBuilder().Build()));
        var contacts = await ContactsAsync(harness, 150, 1000);
        await harness.Core.Get<CampaignRecipientStore>().WriteAsync("c-azurite", [.. contacts.Select(c => new CampaignRecipient(c, ["Erika"]))], CancellationToken.None);
        await harness.Ledger.AppendAsync(contacts[3], Withdrawn(1, "wd-during"), CancellationToken.None);
        await harness.Core.Get<ContactTombstones>().TombstoneAsync(contacts[120], "dsr-1", CancellationToken.None);

        var state = await RunToEndAsync(harness, "c-azurite", contacts.Count);

        var done = Assert.IsType<CampaignState.Completed>(state);
        Assert.Equal(148, done.Progress.Tally.Sent);
        Assert.Equal(1, done.Progress.Tally.Skipped[CampaignSendOutcomes.WithdrawnDuringCampaign]);
        Assert.Equal(1, done.Progress.Tally.Skipped[CampaignSendOutcomes.Erased]);
        var to = Recipients(harness);
        Assert.Equal(148, to.Count);
        Assert.Equal(148, to.Distinct().Count());
        Assert.DoesNotContain("+491510001003", to);
        Assert.Contains("\"text\":\"Erika\"", harness.SentBodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_run_again_after_a_crash_sends_nobody_a_second_message()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s => s.AddCampaigns(new ConfigurationBuilder().Build()));
        var contacts = await ContactsAsync(harness, 20, 2000);
        await harness.Core.Get<CampaignRecipientStore>().WriteAsync("c-rerun", [.. contacts.Select(c => new CampaignRecipient(c, ["Erika"]))], CancellationToken.None);
        var sender = harness.Core.Get<IWorkflowEffects<CampaignEffect, CampaignInput>>();
        var page = new CampaignEffect.SendPage("c-rerun", 0, 1, Template, "marketing", true, false);

        var first = Assert.IsType<CampaignInput.PageSent>(await sender.ExecuteAsync(page, CancellationToken.None));
        var twice = await Task.WhenAll(sender.ExecuteAsync(page with { Round = 2 }, CancellationToken.None), sender.ExecuteAsync(page with { Round = 3 }, CancellationToken.None));

        Assert.Equal(20, first.Tally.Sent);
        Assert.All(twice, again => Assert.Equal(20, Assert.IsType<CampaignInput.PageSent>(again).Tally.Sent));
        Assert.Equal(20, Recipients(harness).Count);
    }

    [Fact]
    public async Task A_withdrawal_between_the_page_read_and_the_send_is_honoured_and_the_page_is_saved_in_one_go()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s => s.AddCampaigns(new ConfigurationBuilder().Build()));
        var (contacts, store, page) = await OnePageAsync(harness, "c-late-stop", 3000);
        var rows = await store.ReadPageAsync("c-late-stop", 0, CancellationToken.None);

        await harness.Ledger.AppendAsync(contacts[5], Withdrawn(1, "wd-after-read"), CancellationToken.None);
        var result = await harness.Core.Get<ICampaignSendLane>().SendAsync(page, rows, CancellationToken.None);

        Assert.Equal(19, Recipients(harness).Count);
        Assert.DoesNotContain("+491510003005", Recipients(harness));
        var saved = await store.ReadPageAsync("c-late-stop", 0, CancellationToken.None);
        Assert.Equal(19, saved.Count(r => r.State == nameof(RecipientState.Sent) && r.AttemptedRound == 1));
        var stopped = Assert.Single(saved, r => r.ContactKey == contacts[5]);
        Assert.Equal((nameof(RecipientState.Skipped), CampaignSendOutcomes.WithdrawnDuringCampaign), (stopped.State, stopped.Outcome));
        Assert.Equal(19, result.Rows.Count(r => r.State == nameof(RecipientState.Sent)));
    }

    [Fact]
    public async Task A_crash_mid_page_before_its_rows_were_saved_resends_nothing_and_counts_what_was_sent_even_if_consent_went_since()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false, configure: s => s.AddCampaigns(new ConfigurationBuilder().Build()));
        var (_, store, page) = await OnePageAsync(harness, "c-mid-crash", 4000);
        // The first run got seven sends out, then died before the page's batch save: the rows still say pending.
        var recipientSender = harness.Core.Get<CampaignRecipientSender>();
        var sentBeforeCrash = (await store.ReadPageAsync("c-mid-crash", 0, CancellationToken.None)).Take(7).ToList();
        foreach (var row in sentBeforeCrash)
        {
            await recipientSender.TryAsync(CampaignSend.For(page, row), row, CancellationToken.None);
        }

        Assert.Equal(7, Recipients(harness).Count);
        Assert.All(await store.ReadPageAsync("c-mid-crash", 0, CancellationToken.None), r => Assert.Equal(nameof(RecipientState.Pending), r.State));
        await harness.Ledger.AppendAsync(sentBeforeCrash[2].ContactKey, Withdrawn(1, "wd-after-send"), CancellationToken.None);
        var rerun = Assert.IsType<CampaignInput.PageSent>(await harness.Core.Get<IWorkflowEffects<CampaignEffect, CampaignInput>>().ExecuteAsync(page with { Round = 2 }, CancellationToken.None));

        Assert.Equal(20, Recipients(harness).Count);
        Assert.Equal(20, Recipients(harness).Distinct().Count());
        Assert.Equal(20, rerun.Tally.Sent);
        Assert.DoesNotContain(rerun.Tally.Skipped, s => s.Value > 0);
        Assert.Equal(0, rerun.Pending);
    }
}
