using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Tests.Infrastructure;

namespace Messaging.Shared.Tests.Consent.Integration;

[Collection(AzuriteCollection.Name)]
public sealed class ConsentSignalsOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task START_records_consent_with_its_source_and_STOP_withdraws_it_at_once()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var contactKey = await harness.ContactAsync();
        await harness.DeliverAsync(ConsentHarness.Text("wamid.START-1", "START", DateTimeOffset.UtcNow.AddSeconds(-10)));
        var afterStart = await harness.HeadAsync(contactKey);
        Assert.Equal(ConsentStatus.Confirmed, afterStart.Status);

        await harness.DeliverAsync(ConsentHarness.Text("wamid.STOP-2", "  STOPP  "));

        Assert.Equal(ConsentStatus.Withdrawn, (await harness.HeadAsync(contactKey)).Status);
        var events = Assert.Single(await harness.Ledger.GetRecordsAsync(contactKey, CancellationToken.None)).Events;
        Assert.Equal(("granted", "whatsapp-keyword"), (events[0].Kind, events[0].Source));
        Assert.Equal(("withdrawn", "StopKeyword"), (events[1].Kind, events[1].Reason));
    }

    [Fact]
    public async Task The_privacy_notice_answers_the_first_message_once()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        await harness.DeliverAsync(ConsentHarness.Text("wamid.HELLO-1", "Hallo"));
        await harness.DeliverAsync(ConsentHarness.Text("wamid.HELLO-2", "Noch eine Frage"));
        await harness.DeliverAsync(ConsentHarness.Text("wamid.HELLO-1", "Hallo"));

        var notice = Assert.Single(harness.SentBodies);
        Assert.Contains("Test Bakery", notice, StringComparison.Ordinal);
        Assert.Contains("https://bakery.example/privacy", notice, StringComparison.Ordinal);
        Assert.Contains("STOP", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_131050_failure_withdraws_marketing_consent()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var contactKey = await harness.ContactAsync();
        await harness.DeliverAsync(ConsentHarness.Text("wamid.START-3", "start", DateTimeOffset.UtcNow.AddMinutes(-5)));
        var failed = $$$"""{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.OUT-9","status":"failed","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","recipient_id":"{{{ConsentHarness.WaId}}}","errors":[{"code":131050,"title":"stopped marketing"}]}]}}]}]}""";

        await harness.DeliverAsync(failed);

        var head = await harness.HeadAsync(contactKey);
        Assert.Equal(ConsentStatus.Withdrawn, head.Status);
        var withdrawn = Assert.Single(await harness.Ledger.GetRecordsAsync(contactKey, CancellationToken.None)).Events[^1];
        Assert.Equal("MetaMarketingStopped", withdrawn.Reason);
    }

    [Fact]
    public async Task Metas_user_preferences_stop_withdraws_marketing_consent_and_resume_does_not_grant_it()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var contactKey = await harness.ContactAsync();
        await harness.DeliverAsync(ConsentHarness.Text("wamid.START-4", "START", DateTimeOffset.UtcNow.AddMinutes(-5)));
        string Preference(string value, long at) =>
            $$$"""{"entry":[{"changes":[{"field":"user_preferences","value":{"metadata":{"phone_number_id":"106540352242922"},"user_preferences":[{"wa_id":"{{{ConsentHarness.WaId}}}","category":"marketing_messages","value":"{{{value}}}","timestamp":{{{at}}}}]}}]}]}""";

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await harness.DeliverAsync(Preference("stop", now - 60));
        Assert.Equal(ConsentStatus.Withdrawn, (await harness.HeadAsync(contactKey)).Status);
        await harness.DeliverAsync(Preference("resume", now));
        Assert.Equal(ConsentStatus.Withdrawn, (await harness.HeadAsync(contactKey)).Status);
    }

    [Fact]
    public async Task Metas_stop_naming_its_user_only_in_contacts_withdraws_that_contacts_marketing_consent()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var contactKey = await harness.ContactAsync();
        await harness.DeliverAsync(ConsentHarness.Text("wamid.START-5", "START", DateTimeOffset.UtcNow.AddMinutes(-5)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await harness.DeliverAsync($$$"""{"entry":[{"changes":[{"field":"user_preferences","value":{"metadata":{"phone_number_id":"106540352242922"},"contacts":[{"wa_id":"{{{ConsentHarness.WaId}}}"}],"user_preferences":[{"category":"marketing_messages","value":"stop","timestamp":{{{now}}}}]}}]}]}""");

        Assert.Equal(ConsentStatus.Withdrawn, (await harness.HeadAsync(contactKey)).Status);
    }

    [Fact]
    public async Task The_same_withdrawal_appended_concurrently_is_stored_once()

    {
        await using var harness = await ConsentHarness.StartAsync(azurite, runWorker: false);
        var contactKey = await harness.ContactAsync();
        var proof = new ConsentProof(ConsentSources.WhatsAppKeyword, ConsentChannels.WhatsApp, null, null, "privacy-v3", "evidence-1");
        var withdrawal = new ConsentWithdrawn("stop:evidence-1", ConsentPurpose.Marketing, DateTimeOffset.UtcNow, proof, WithdrawalReason.StopKeyword);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => harness.Ledger.AppendAsync(contactKey, withdrawal, CancellationToken.None)));

        Assert.Single(results, r => r.Appended);
        Assert.Single(Assert.Single(await harness.Ledger.GetRecordsAsync(contactKey, CancellationToken.None)).Events);
    }
}
