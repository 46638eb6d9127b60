using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Api;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Tests.Consent.Integration;

[Collection(AzuriteCollection.Name)]
public sealed class DoubleOptInOnAzuriteTests(AzuriteFixture azurite)
{
    private static OptInRequestBody CrmRequest => new(ConsentHarness.Phone, "marketing", "crm-api", "Ja, ich möchte Angebote per WhatsApp.", "marketing-v2");

    private static async Task<OptInAccepted> StartAsync(ConsentHarness harness, string? idempotencyKey = null)
    {
        var (accepted, errors) = await harness.Core.Get<ConsentManagement>().StartOptInAsync(CrmRequest, idempotencyKey, CancellationToken.None);
        Assert.Null(errors);
        return accepted!;
    }

    [Fact]
    public async Task Given_a_crm_request_when_the_customer_taps_confirm_then_consent_is_confirmed_with_full_proof()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var accepted = await StartAsync(harness);

        await Eventually.TrueAsync(async () => (await harness.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Pending && harness.SentBodies.Count == 1);
        var template = harness.SentBodies[0];
        Assert.Contains("\"type\":\"template\"", template, StringComparison.Ordinal);
        Assert.Contains($"doi:{accepted.RequestId}:confirm", template, StringComparison.Ordinal);
        Assert.Contains($"doi:{accepted.RequestId}:decline", template, StringComparison.Ordinal);

        await harness.DeliverAsync(ConsentHarness.Button("wamid.TAP-1", $"doi:{accepted.RequestId}:confirm", "Ja"));

        await Eventually.TrueAsync(async () => (await harness.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Confirmed);
        var record = Assert.Single(await harness.Ledger.GetRecordsAsync(accepted.ContactKey, CancellationToken.None));
        Assert.Equal(["requested", "confirmed"], record.Events.Select(e => e.Kind));
        var requested = record.Events[0];
        Assert.Equal(("crm-api", "Ja, ich möchte Angebote per WhatsApp.", "marketing-v2", "privacy-v3"), (requested.Source, requested.ConsentText, requested.ConsentTextVersion, requested.PrivacyNoticeVersion));
        Assert.Equal(harness.Evidence("wamid.TAP-1"), record.Events[1].EvidenceRef);
        Assert.All(record.Events, e => Assert.DoesNotContain("4915112345678", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_pending_request_when_the_customer_writes_NEIN_then_consent_is_declined()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var accepted = await StartAsync(harness);
        await Eventually.TrueAsync(async () => (await harness.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Pending);

        await harness.DeliverAsync(ConsentHarness.Text("wamid.NEIN-1", " nein! "));

        await Eventually.TrueAsync(async () => (await harness.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Declined);
    }

    [Fact]
    public async Task Given_a_pending_request_when_the_customer_sends_STOP_then_it_is_withdrawn_and_confirmed_once_however_often_meta_delivers()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var accepted = await StartAsync(harness);
        await Eventually.TrueAsync(async () => (await harness.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Pending && harness.SentBodies.Count == 1);

        var stop = ConsentHarness.Text("wamid.STOP-1", "Stop");
        // Concurrent deliveries of one event all succeed: they share one application of it.
        var concurrent = Enumerable.Range(0, 3).Select(_ => Task.Run(() => harness.DeliverAsync(stop))).ToList();
        Assert.All(await Task.WhenAll(concurrent), outcome => Assert.Equal(ProcessingOutcome.Processed, outcome));

        Assert.Equal(ProcessingOutcome.Processed, await harness.DeliverAsync(stop));

        await Eventually.TrueAsync(async () =>
            (await harness.OptInStateAsync(accepted.ContactKey, accepted.RequestId)) is DoubleOptInState.Withdrawn);
        Assert.Equal(ConsentStatus.Withdrawn, (await harness.HeadAsync(accepted.ContactKey)).Status);
        var record = Assert.Single(await harness.Ledger.GetRecordsAsync(accepted.ContactKey, CancellationToken.None));
        Assert.Single(record.Events, e => e.Kind == "withdrawn");
        var texts = harness.SentBodies.Where(b => b.Contains("\"type\":\"text\"", StringComparison.Ordinal)).ToList();
        Assert.Single(texts, b => b.Contains("keine Werbung mehr", StringComparison.Ordinal));
        Assert.Single(texts, b => b.Contains("Datenschutzhinweise", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_no_answer_when_the_confirmation_window_passes_then_the_request_expires_even_across_a_restart()
    {
        var settings = ConsentHarness.Settings(azurite, confirmationWindow: TimeSpan.FromSeconds(3));
        OptInAccepted accepted;
        await using (var beforeRestart = await ConsentHarness.StartAsync(azurite, settings))
        {
            accepted = await StartAsync(beforeRestart);
            await Eventually.TrueAsync(async () => (await beforeRestart.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Pending && beforeRestart.SentBodies.Count == 1);
        }

        // The process is gone; only the timer message on the queue remembers the deadline.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await using var afterRestart = await ConsentHarness.StartAsync(azurite, settings);
        await Eventually.TrueAsync(async () => (await afterRestart.HeadAsync(accepted.ContactKey)).Status == ConsentStatus.Expired);
        Assert.IsType<DoubleOptInState.Expired>(await afterRestart.OptInStateAsync(accepted.ContactKey, accepted.RequestId));
    }

    [Fact]
    public async Task A_driver_killed_after_recording_its_step_but_before_sending_sends_exactly_once_after_restart()
    {
        var settings = ConsentHarness.Settings(azurite);
        var crashing = new CrashOnceExecutor();
        OptInAccepted accepted;
        await using (var doomed = await ConsentHarness.StartAsync(azurite, settings, configure: s =>
        {
            s.AddSingleton<DoubleOptInCommandExecutor>();
            s.AddSingleton<IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput>>(sp => crashing.Wrap(sp.GetRequiredService<DoubleOptInCommandExecutor>()));
        }))
        {
            accepted = await StartAsync(doomed);
            await Eventually.TrueAsync(() => Task.FromResult(crashing.Crashed));
        }

        // A killed worker cannot hand its message back: it returns when its visibility timeout ends, as after a real kill.
        await using var restarted = await ConsentHarness.StartAsync(azurite, settings);
        await Eventually.TrueAsync(
            async () => (await restarted.OptInStateAsync(accepted.ContactKey, accepted.RequestId)) is DoubleOptInState.AwaitingConfirmation { SentRef: not null },
            timeout: TimeSpan.FromMinutes(3));
        Assert.Single(restarted.SentBodies, b => b.Contains("\"type\":\"template\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_code_from_the_opt_in_page_sent_in_whatsapp_starts_a_double_opt_in_with_the_web_wording_as_proof()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var token = await harness.Core.Get<Messaging.Shared.Consent.OptInPage.OptInTokenStore>().CreateAsync("de", CancellationToken.None);

        await harness.DeliverAsync(ConsentHarness.Text("wamid.CODE-1", $"Anmeldung: {token.Code}"));
        await harness.DeliverAsync(ConsentHarness.Text("wamid.CODE-1", $"Anmeldung: {token.Code}"));

        var contactKey = await harness.ContactAsync();
        await Eventually.TrueAsync(async () => (await harness.HeadAsync(contactKey)).Status == ConsentStatus.Pending && harness.SentBodies.Any(b => b.Contains("\"type\":\"template\"", StringComparison.Ordinal)));
        var requested = Assert.Single(Assert.Single(await harness.Ledger.GetRecordsAsync(contactKey, CancellationToken.None)).Events);
        Assert.Equal(("optin-page", "web", "Ja, ich möchte Angebote per WhatsApp.", "marketing-v2", token.TokenId),
            (requested.Source, requested.Channel, requested.ConsentText, requested.ConsentTextVersion, requested.EvidenceRef));
        Assert.Single(harness.SentBodies, b => b.Contains("\"type\":\"template\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crm_retrying_with_the_same_idempotency_key_starts_one_request()
    {
        await using var harness = await ConsentHarness.StartAsync(azurite);
        var first = await StartAsync(harness, "crm-lead-42");
        var second = await StartAsync(harness, "crm-lead-42");
        Assert.Equal(first, second);
        await Eventually.TrueAsync(async () =>
            harness.SentBodies.Count >= 1 && await harness.OptInStateAsync(first.ContactKey, first.RequestId) is DoubleOptInState.AwaitingConfirmation { SentRef: not null });

        // Both requests name one instance, so the second start finds it and changes nothing.
        Assert.Single(await harness.Core.Get<WorkflowRegistry>().ListAsync(first.ContactKey, CancellationToken.None));
        Assert.Single(harness.SentBodies);
    }

    /// <summary>Simulates a process dying in the middle of the first send: the step is recorded, the send never happens.</summary>
    private sealed class CrashOnceExecutor
    {
        public bool Crashed { get; private set; }

        public IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput> Wrap(IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput> inner) => new Wrapper(this, inner);

        private sealed class Wrapper(CrashOnceExecutor owner, IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput> inner) : IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput>
        {
            public Task<DoubleOptInInput?> ExecuteAsync(DoubleOptInCommand command, CancellationToken cancellationToken)
            {
                if (command is DoubleOptInCommand.SendConfirmationTemplate)
                {
                    owner.Crashed = true;
                    return Task.FromException<DoubleOptInInput?>(new OperationCanceledException("killed"));
                }

                return inner.ExecuteAsync(command, cancellationToken);
            }
        }
    }
}
