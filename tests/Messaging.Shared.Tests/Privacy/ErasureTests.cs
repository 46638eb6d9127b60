using System.Text.Json;
using Messaging.Shared.Privacy.Erasure;
using static Messaging.Shared.Privacy.Erasure.ErasureEffect;
using static Messaging.Shared.Privacy.Erasure.ErasureInput;

namespace Messaging.Shared.Tests.Privacy;

public sealed class ErasureTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    internal const string ContactKey = "ck-1";

    internal static Requested Request(bool notify = true) => new("dsr-1", ContactKey, "whatsapp", notify, T0);

    private static ErasureState Given(params ErasureInput[] history) => history.Aggregate(Erasure.Initial, Erasure.Evolve);

    private static (ErasureState State, IReadOnlyList<ErasureEffect> Effects) When(ErasureState state, ErasureInput input) =>
        (Erasure.Evolve(state, input), Erasure.Decide(state, input));

    private static StoreCleared Cleared(string store, int page = 0, int removed = 1, bool more = false) => new(store, page, removed, more, T0);

    private static ErasureInput[] ThroughWorkflows(bool notify = true) => [Request(notify), new Tombstoned(T0), new WorkflowsStopped(2, T0)];

    private static ErasureInput[] AllStoresCleared() => [.. ErasureStores.Order.Select(s => (ErasureInput)Cleared(s))];

    private static string Json(ErasureState state) => JsonSerializer.Serialize(state, ErasureWorkflow.Json);

    [Fact]
    public void Given_nothing_when_erasure_is_requested_then_the_contact_is_tombstoned_first()
    {
        var (state, effects) = When(Given(), Request());

        Assert.Equal([new Tombstone("erasure:dsr-1:tombstone", "dsr-1", ContactKey, "whatsapp", T0)], effects);
        Assert.IsType<ErasureState.Tombstoning>(state);
        Assert.False(Erasure.IsTerminal(state));
    }

    [Fact]
    public void Given_a_tombstone_when_it_is_confirmed_then_the_contacts_workflows_are_stopped()
    {
        var (_, effects) = When(Given(Request()), new Tombstoned(T0));

        Assert.Equal([new StopWorkflows("erasure:dsr-1:stop-workflows", "dsr-1", ContactKey)], effects);
    }

    [Fact]
    public void Given_stopped_workflows_when_the_person_asked_then_they_are_told_before_anything_is_deleted()
    {
        var (state, effects) = When(Given(Request(), new Tombstoned(T0)), new WorkflowsStopped(2, T0));

        Assert.IsType<NotifyContact>(Assert.Single(effects));
        Assert.Equal(2, Erasure.Progress(state)!.Report.WorkflowInstances);
    }

    [Fact]
    public void Given_stopped_workflows_when_no_notice_is_wanted_then_deletion_starts_with_the_first_store()
    {
        var (_, effects) = When(Given(Request(notify: false), new Tombstoned(T0)), new WorkflowsStopped(0, T0));

        Assert.Equal([new DeleteRows("erasure:dsr-1:delete:outbox:0", "dsr-1", ContactKey, ErasureStores.Outbox, 0)], effects);
    }

    [Fact]
    public void Given_a_store_with_more_rows_when_a_page_is_cleared_then_the_next_page_of_the_same_store_follows()
    {
        var state = Given([.. ThroughWorkflows(notify: false)]);

        var (next, effects) = When(state, Cleared(ErasureStores.Outbox, page: 0, removed: 100, more: true));

        Assert.Equal([new DeleteRows("erasure:dsr-1:delete:outbox:1", "dsr-1", ContactKey, ErasureStores.Outbox, 1)], effects);
        Assert.Equal(100, Erasure.Progress(next)!.Report.Rows(ErasureStores.Outbox));
    }

    [Fact]
    public void Given_a_page_outcome_for_another_page_when_it_arrives_then_nothing_happens()
    {
        var state = Given([.. ThroughWorkflows(notify: false)]);

        var (next, effects) = When(state, Cleared(ErasureStores.Outbox, page: 3));

        Assert.Empty(effects);
        Assert.Equal(Json(state), Json(next));
    }

    [Fact]
    public void Given_every_store_cleared_then_the_key_is_shredded_last_and_the_receipt_reports_the_counts()
    {
        var (state, effects) = When(Given([.. ThroughWorkflows(notify: false), .. AllStoresCleared()[..^1]]), Cleared(ErasureStores.Workflows));
        Assert.Equal([new ShredKey("erasure:dsr-1:shred-key", "dsr-1", ContactKey)], effects);

        var (receiptState, receipt) = When(state, new KeyShredded(T0));
        var report = Assert.IsType<WriteReceipt>(Assert.Single(receipt)).Report;
        Assert.True(report.KeyShredded);
        Assert.Equal(ErasureStores.Order, report.RowsRemoved.Select(c => c.Store));

        var (done, none) = When(receiptState, new ReceiptWritten(T0.AddMinutes(1)));
        Assert.Empty(none);
        Assert.True(Erasure.IsTerminal(done));
    }

    [Fact]
    public void Given_a_notice_that_keeps_failing_then_erasure_goes_on_and_the_report_says_so()
    {
        var effect = new NotifyContact("erasure:dsr-1:notify", "dsr-1", ContactKey);
        var learned = Erasure.EffectFailed(effect, "meta-131047", T0);

        var (state, effects) = When(Given([.. ThroughWorkflows()]), learned!);

        Assert.IsType<DeleteRows>(Assert.Single(effects));
        Assert.Equal("failed:meta-131047", Erasure.Progress(state)!.Report.Notification);
    }

    [Fact]
    public void Given_a_deletion_that_keeps_failing_then_the_failure_is_recorded_before_the_key_is_shredded_and_the_erasure_ends_failed()
    {
        var state = Given([.. ThroughWorkflows(notify: false), Cleared(ErasureStores.Outbox), Cleared(ErasureStores.Messages, removed: 100, more: true)]);
        var failing = new DeleteRows("erasure:dsr-1:delete:messages:1", "dsr-1", ContactKey, ErasureStores.Messages, 1);

        var learned = Erasure.EffectFailed(failing, "retries-exhausted:RequestFailedException", T0);
        var (recording, effects) = When(state, learned!);

        var record = Assert.IsType<RecordFailure>(Assert.Single(effects));
        Assert.Equal(("delete:messages:1", "retries-exhausted:RequestFailedException"), (record.Step, record.Reason));
        Assert.Equal("erasure:dsr-1:record-failure", record.EffectId);
        Assert.Equal(101, record.Report.Rows(ErasureStores.Outbox) + record.Report.Rows(ErasureStores.Messages));
        Assert.False(record.Report.KeyShredded);
        Assert.False(Erasure.IsTerminal(recording));

        var (failed, none) = When(recording, new FailureRecorded(T0));
        Assert.Empty(none);
        Assert.True(Erasure.IsTerminal(failed));
        Assert.Equal("delete:messages:1", Assert.IsType<ErasureState.Failed>(failed).Step);
    }

    [Fact]
    public void Given_a_failure_being_recorded_when_a_late_page_outcome_or_a_second_failure_arrives_then_nothing_changes()
    {
        var recording = Given([.. ThroughWorkflows(notify: false), new StepFailed("delete:outbox:0", "retries-exhausted", T0)]);

        foreach (var input in new ErasureInput[] { Cleared(ErasureStores.Outbox), new StepFailed("delete:outbox:0", "again", T0), new KeyShredded(T0) })
        {
            var (next, effects) = When(recording, input);
            Assert.Empty(effects);
            Assert.Equal(Json(recording), Json(next));
        }
    }

    [Fact]
    public void Only_recording_the_failure_itself_failing_leaves_the_instance_to_fail_in_the_host()
    {
        Assert.Null(Erasure.EffectFailed(new RecordFailure("x", "dsr-1", ContactKey, "shred-key", "r", ErasureReport.Empty), "storage-503", T0));
        Assert.IsType<StepFailed>(Erasure.EffectFailed(new ShredKey("erasure:dsr-1:shred-key", "dsr-1", ContactKey), "storage-503", T0));
    }

    [Fact]
    public void Given_a_completed_erasure_when_a_second_request_arrives_then_nothing_starts_again()
    {
        var done = Given([.. ThroughWorkflows(notify: false), .. AllStoresCleared(), new KeyShredded(T0), new ReceiptWritten(T0)]);

        Assert.True(Erasure.IsTerminal(done));
        Assert.Empty(Erasure.Decider.Apply(done, Request()).Effects);
    }

    [Fact]
    public void States_inputs_and_effects_survive_their_json_form()
    {
        var definition = ErasureWorkflow.Definition;
        var step = definition.Apply(null, definition.SerializeInput(Request()));

        var effect = definition.DeserializeEffect(Assert.Single(step.Effects));
        Assert.Equal("erasure:dsr-1:tombstone", definition.EffectId(step.Effects[0]));
        Assert.IsType<Tombstone>(effect);
        Assert.IsType<ErasureState.Tombstoning>(definition.DeserializeState(step.StateJson));
        Assert.Null(step.Deadline);
    }
    [Fact]
    public void The_notice_and_the_receipt_each_run_under_an_effect_id_of_their_own()
    {
        var (_, notice) = When(Given(Request(), new Tombstoned(T0)), new WorkflowsStopped(0, T0));
        var (_, receipt) = When(Given([.. ThroughWorkflows(notify: false), .. AllStoresCleared()]), new KeyShredded(T0));

        Assert.Equal("erasure:dsr-1:notify", Assert.Single(notice).EffectId);
        Assert.Equal("erasure:dsr-1:receipt", Assert.Single(receipt).EffectId);
    }

    [Fact]
    public void The_step_of_an_effect_is_its_id_without_the_request_and_an_id_of_another_form_is_kept_whole()
    {
        Assert.Equal("delete:messages:3", Erasure.StepOf(new DeleteRows("erasure:dsr-1:delete:messages:3", "dsr-1", ContactKey, ErasureStores.Messages, 3)));
        Assert.Equal("legacy-notify", Erasure.StepOf(new NotifyContact("legacy-notify", "dsr-1", ContactKey)));
    }
}
