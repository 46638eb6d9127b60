extern alias functions;
using functions::Messaging.Functions.Workflows;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Messaging.Functions.Tests.Durable;

/// <summary>The double opt-in as it runs in Azure: src/Functions' orchestration and activity on the Durable runtime.</summary>
[Trait("Runtime", "Durable")]
[Collection(DurableCollection.Name)]
public sealed class DoubleOptInOnDurableTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Given_a_sent_request_when_the_customer_confirms_then_the_instance_completes_confirmed_after_appending_the_confirmation()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        await durable.StartAsync(DurableHarness.Request("r-confirm"));
        await durable.SentAsync();

        await durable.SignalAsync("r-confirm", DoubleOptInSignal.Reply(ReplyKind.Confirm, "ev-tap", DateTimeOffset.UtcNow));

        var (state, status, _) = await durable.FinishedAsync("r-confirm");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status);
        Assert.IsType<DoubleOptInState.Confirmed>(state);
        Assert.Equal(
            ["append:ConsentRequested", "send", "append:ConsentConfirmed"],
            durable.Effects.Ran.Select(e => e is DoubleOptInCommand.AppendConsentEvent a ? "append:" + a.Event.GetType().Name : "send"));
    }

    [Fact]
    public async Task Given_a_sent_request_when_the_customer_declines_then_it_completes_declined()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        await durable.StartAsync(DurableHarness.Request("r-decline"));
        await durable.SentAsync();

        await durable.SignalAsync("r-decline", DoubleOptInSignal.Reply(ReplyKind.Decline, "ev-no", DateTimeOffset.UtcNow));

        Assert.IsType<DoubleOptInState.Declined>((await durable.FinishedAsync("r-decline")).State);
        Assert.Contains(durable.Effects.Ran, e => e is DoubleOptInCommand.AppendConsentEvent { Event: ConsentDeclined });
    }

    [Fact]
    public async Task Given_a_sent_request_when_the_customer_sends_STOP_twice_then_it_is_withdrawn_once()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        await durable.StartAsync(DurableHarness.Request("r-stop"));
        await durable.SentAsync();
        var stop = new DoubleOptInSignal(DoubleOptInSignal.Stop, "ev-stop", DateTimeOffset.UtcNow);

        await durable.SignalAsync("r-stop", stop);
        await durable.SignalAsync("r-stop", stop);

        Assert.IsType<DoubleOptInState.Withdrawn>((await durable.FinishedAsync("r-stop")).State);
        Assert.Single(durable.Effects.Ran, e => e is DoubleOptInCommand.AppendConsentEvent { Event: ConsentWithdrawn });
    }

    [Fact]
    public async Task A_reply_raised_before_the_orchestrator_waits_for_it_is_not_lost()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        durable.Effects.HoldSends();
        await durable.StartAsync(DurableHarness.Request("r-early"));
        await Eventually.TrueAsync(() => Task.FromResult(durable.Effects.SendAttempts == 1));

        // The orchestrator is still inside the send activity: it has not asked for the event yet.
        await durable.SignalAsync("r-early", DoubleOptInSignal.Reply(ReplyKind.Confirm, "ev-early", DateTimeOffset.UtcNow));
        durable.Effects.SendGate.SetResult();

        Assert.IsType<DoubleOptInState.Confirmed>((await durable.FinishedAsync("r-early")).State);
    }

    [Fact]
    public async Task Given_no_answer_when_the_durable_timer_fires_then_the_request_expires_at_its_deadline()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        var request = DurableHarness.Request("r-expire", window: TimeSpan.FromSeconds(3));
        await durable.StartAsync(request);

        var (state, status, _) = await durable.FinishedAsync("r-expire");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, status);
        var expired = Assert.IsType<DoubleOptInState.Expired>(state);
        var appended = Assert.Single(durable.Effects.Ran.OfType<DoubleOptInCommand.AppendConsentEvent>(), a => a.Event is ConsentExpired);
        Assert.Equal(expired.At, appended.Event.OccurredAt);
    }

    [Fact]
    public async Task A_send_the_consent_gate_refuses_closes_the_request_as_failed_with_the_reason()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        durable.Effects.Send = _ => new DoubleOptInInput.ConfirmationFailed("refused:Erased", DateTimeOffset.UtcNow);

        await durable.StartAsync(DurableHarness.Request("r-refused"));

        var failed = Assert.IsType<DoubleOptInState.Failed>((await durable.FinishedAsync("r-refused")).State);
        Assert.Equal("refused:Erased", failed.Reason);
        Assert.Contains(durable.Effects.Ran, e => e is DoubleOptInCommand.AppendConsentEvent { Event: ConsentExpired });
    }

    [Fact]
    public async Task A_send_that_keeps_failing_is_retried_by_the_policy_then_closes_the_request()
    {
        await using var durable = await DurableHarness.StartAsync(azurite, fastRetries: true);
        durable.Effects.Send = _ => throw new WorkflowRetryException("Meta unavailable");

        await durable.StartAsync(DurableHarness.Request("r-retries"));

        var failed = Assert.IsType<DoubleOptInState.Failed>((await durable.FinishedAsync("r-retries")).State);
        Assert.Equal("retries-exhausted", failed.Reason);
        Assert.Equal(DurableHarness.FastRetry.MaxAttempts, durable.Effects.SendAttempts);
    }

    [Fact]
    public async Task A_ledger_append_that_keeps_failing_fails_the_instance_where_the_operator_sees_it()
    {
        await using var durable = await DurableHarness.StartAsync(azurite, fastRetries: true);
        durable.Effects.AppendsFail = true;

        await durable.StartAsync(DurableHarness.Request("r-ledger"));

        var (_, status, metadata) = await durable.FinishedAsync("r-ledger");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status);
        Assert.Contains(nameof(WorkflowEffectFailedException), metadata.FailureDetails?.ErrorType ?? "", StringComparison.Ordinal);
        Assert.Equal(0, durable.Effects.SendAttempts);
    }

    [Fact]
    public async Task Starting_the_same_request_twice_runs_one_instance_and_the_registry_knows_it()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        var request = DurableHarness.Request("r-twice");

        await durable.StartAsync(request);
        await durable.SentAsync();
        await durable.StartAsync(request);

        await Task.Delay(300);
        Assert.Equal(1, durable.Effects.SendAttempts);
        var record = Assert.Single(await durable.Registry.ListAsync("ck-durable", CancellationToken.None));
        Assert.Equal(DurableHarness.InstanceOf("r-twice"), record.Instance);
    }

    [Fact]
    public async Task Terminate_then_purge_removes_a_running_instance_and_its_registry_row()
    {
        await using var durable = await DurableHarness.StartAsync(azurite);
        var instance = DurableHarness.InstanceOf("r-purge");
        await durable.StartAsync(DurableHarness.Request("r-purge"));
        await durable.SentAsync();

        await durable.Dispatcher.ApplyAsync(durable.Client, WorkflowRequest.For(WorkflowRequest.Terminate, instance, reason: "erasure"), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await durable.Client.GetInstanceAsync(instance.Id))?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated);
        await durable.Dispatcher.ApplyAsync(durable.Client, WorkflowRequest.For(WorkflowRequest.Purge, instance), CancellationToken.None);

        Assert.Null(await durable.Client.GetInstanceAsync(instance.Id));
        Assert.Empty(await durable.Registry.ListAsync("ck-durable", CancellationToken.None));
    }

    [Fact]
    public async Task The_runtime_replays_history_and_fails_an_orchestrator_that_decides_differently_on_replay()
    {
        // The control that makes the other tests meaningful: this runtime really replays each episode against the
        // recorded history, so an orchestrator that completes here made the same decisions on every replay.
        var episodes = 0;
        await using var durable = await DurableHarness.StartAsync(azurite, more: tasks =>
        {
            tasks.AddActivityFunc<string, string>("Echo", (_, input) => input);
            tasks.AddActivityFunc<string, string>("Shout", (_, input) => input.ToUpperInvariant());
            tasks.AddOrchestratorFunc<string, string>("ChangesItsMind", async (context, _) =>
            {
                var activity = Interlocked.Increment(ref episodes) == 1 ? "Echo" : "Shout";
                await context.CallActivityAsync<string>(activity, "first");
                return await context.CallActivityAsync<string>("Echo", "again");
            });
        });

        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync("ChangesItsMind");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.True(episodes >= 2, "The orchestrator ran once only: nothing was replayed.");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, metadata.RuntimeStatus);
        Assert.Contains("NonDeterministic", metadata.FailureDetails?.ErrorType ?? "", StringComparison.Ordinal);
    }
}
