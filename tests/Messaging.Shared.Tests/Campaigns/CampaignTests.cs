using Messaging.Shared.Campaigns;
using static Messaging.Shared.Campaigns.CampaignInput;
using static Messaging.Shared.Tests.Campaigns.CampaignTestData;

namespace Messaging.Shared.Tests.Campaigns;

public sealed class CampaignTests
{
    private static CampaignState Given(params CampaignInput[] history) => history.Aggregate(Campaign.Initial, Campaign.Evolve);

    private static (CampaignState State, IReadOnlyList<CampaignEffect> Effects) When(CampaignState state, CampaignInput input) =>
        (Campaign.Evolve(state, input), Campaign.Decide(state, input));

    private static CampaignEffect.SendPage Page(IReadOnlyList<CampaignEffect> effects) => Assert.Single(effects.OfType<CampaignEffect.SendPage>());

    private static IEnumerable<CampaignEffect.SendPage> Sends(IReadOnlyList<CampaignEffect> effects) => effects.OfType<CampaignEffect.SendPage>();

    [Fact]
    public void A_created_campaign_is_a_draft_and_sends_nothing()
    {
        var (state, effects) = When(Given(), Created());

        Assert.Empty(Sends(effects));
        Assert.Equal("draft", state.Status);
    }

    [Fact]
    public void Starting_a_draft_sends_its_first_page_with_the_plans_template_and_purpose()
    {
        var (state, effects) = When(Given(Created()), Start());

        var page = Page(effects);
        Assert.Equal(new CampaignEffect.SendPage("c-1", 0, 1, Template, "marketing", true, false), page);
        Assert.Equal("campaign:c-1:page:0:round:1", page.EffectId);
        Assert.Equal(T0.AddMinutes(1), Assert.IsType<CampaignState.Running>(state).Progress.StartedAt);
    }

    [Fact]
    public void A_start_with_a_later_send_time_schedules_and_the_deadline_starts_it()
    {
        var sendAt = T0.AddHours(5);
        var scheduled = Given(Created(), Start(sendAt));
        Assert.Equal("scheduled", scheduled.Status);
        Assert.Equal(sendAt, Campaign.Deadline(scheduled));

        Assert.Empty(Sends(When(scheduled, new DeadlineReached(sendAt.AddSeconds(-1))).Effects));
        var (state, effects) = When(scheduled, new DeadlineReached(sendAt));

        Assert.Equal(0, Page(effects).Page);
        Assert.Equal("running", state.Status);
    }

    [Fact]
    public void A_finished_page_sends_the_next_and_the_last_one_completes_with_the_summed_tally()
    {
        var state = Given(Created(pages: 2), Start(), Done(0, 1, sent: 98));

        var (completed, effects) = When(state, Done(1, 2, sent: 50, minutes: 3));

        Assert.Empty(Sends(effects));
        var done = Assert.IsType<CampaignState.Completed>(completed);
        Assert.Equal(148, done.Progress.Tally.Sent);
        Assert.Equal(T0.AddMinutes(3), done.FinishedAt);
        Assert.True(Campaign.IsTerminal(completed));
    }

    [Fact]
    public void A_repeated_or_stale_page_answer_counts_once()
    {
        var state = Given(Created(pages: 3), Start(), Done(0, 1));

        var (again, effects) = When(state, Done(0, 1));

        Assert.Empty(Sends(effects));
        Assert.Equal(state, again);
        Assert.Equal(100, Campaign.ProgressOf(again).Tally.Sent);
    }

    [Fact]
    public void Given_throttled_recipients_when_the_page_answers_then_it_waits_four_to_the_attempt_seconds_and_sends_the_same_page_again()
    {
        var throttled = new PageSent(0, 1, Tally(90), Pending: 10, Throttled: true, null, T0.AddMinutes(2));
        var (waiting, none) = When(Given(Created(), Start()), throttled);

        Assert.Empty(Sends(none));
        Assert.Equal(T0.AddMinutes(2).AddSeconds(4), Campaign.Deadline(waiting));
        var (state, effects) = When(waiting, new DeadlineReached(T0.AddMinutes(2).AddSeconds(4)));

        var page = Page(effects);
        Assert.Equal((0, 2), (page.Page, page.Round));
        Assert.Equal(0, Campaign.ProgressOf(state).Tally.Sent);
        Assert.Equal(1, Campaign.ProgressOf(state).Slowdowns);
    }

    [Fact]
    public void The_last_attempt_of_a_throttled_page_is_marked_final_so_the_rest_fail_instead_of_waiting_forever()
    {
        var state = Given(Created(), Start());
        CampaignEffect.SendPage? last = null;
        for (var round = 1; round < Campaign.MaxPageAttempts; round++)
        {
            var at = T0.AddHours(round);
            state = Campaign.Evolve(state, new PageSent(0, round, Tally(0), 1, false, null, at));
            var due = Campaign.Deadline(state)!.Value;
            last = Page(Campaign.Decide(state, new DeadlineReached(due)));
            state = Campaign.Evolve(state, new DeadlineReached(due));
        }

        Assert.True(last!.FinalAttempt);
        var (next, effects) = When(state, new PageSent(0, Campaign.MaxPageAttempts, Tally(99, failed: "130429", failedCount: 1), 0, false, null, T0.AddDays(1)));
        Assert.Equal(1, Page(effects).Page);
        Assert.Equal(1, Campaign.ProgressOf(next).Tally.Failed["130429"]);
    }

    [Fact]
    public void A_template_paused_by_meta_pauses_the_campaign_with_the_reason_and_resume_sends_the_same_page_again()
    {
        var paused = new PageSent(0, 1, Tally(40), Pending: 60, false, "template-paused (132015)", T0.AddMinutes(2));
        var (state, none) = When(Given(Created(), Start()), paused);

        Assert.Empty(Sends(none));
        var p = Assert.IsType<CampaignState.Paused>(state);
        Assert.Equal("template-paused (132015)", p.Reason);
        Assert.Null(Campaign.Deadline(state));

        var (resumed, effects) = When(state, new ResumeRequested(T0.AddHours(4)));
        Assert.Equal((0, 2), (Page(effects).Page, Page(effects).Round));
        Assert.Equal("running", resumed.Status);
    }

    [Fact]
    public void Given_a_pause_while_a_page_is_in_flight_then_its_answer_still_counts_and_the_next_page_waits_for_resume()
    {
        var state = Given(Created(), Start(), new PauseRequested("operator", T0.AddMinutes(1)));

        var (paused, effects) = When(state, Done(0, 1));

        Assert.Empty(Sends(effects));
        Assert.Equal("paused", paused.Status);
        Assert.Equal(100, Campaign.ProgressOf(paused).Tally.Sent);
        var (_, resumed) = When(paused, new ResumeRequested(T0.AddMinutes(5)));
        Assert.Equal((1, 2), (Page(resumed).Page, Page(resumed).Round));
    }

    [Fact]
    public void Resuming_while_the_paused_page_is_still_in_flight_dispatches_nothing_new()
    {
        var state = Given(Created(), Start(), new PauseRequested("operator", T0.AddMinutes(1)));

        var (running, effects) = When(state, new ResumeRequested(T0.AddMinutes(1)));

        Assert.Empty(Sends(effects));
        Assert.Equal("running", running.Status);
        Assert.Equal(1, Page(When(running, Done(0, 1)).Effects).Page);
    }

    [Fact]
    public void A_cancelled_campaign_ignores_late_answers_and_further_commands()
    {
        var cancelled = Given(Created(), Start(), new CancelRequested(T0.AddMinutes(1)));

        Assert.Equal("cancelled", cancelled.Status);
        Assert.Empty(Sends(When(cancelled, Done(0, 1)).Effects));
        Assert.Empty(Sends(When(cancelled, new ResumeRequested(T0.AddMinutes(2))).Effects));
        Assert.Equal(cancelled, When(cancelled, Start()).State);
    }

    [Fact]
    public void A_page_that_keeps_failing_pauses_twice_and_then_fails_the_campaign()
    {
        var state = Given(Created(), Start());
        for (var i = 1; i < Campaign.MaxErrors; i++)
        {
            state = Campaign.Evolve(state, new PageFailed(i, "storage", T0.AddMinutes(i)));
            Assert.Equal("error:storage", Assert.IsType<CampaignState.Paused>(state).Reason);
            state = Campaign.Evolve(state, new ResumeRequested(T0.AddMinutes(i)));
        }

        var failed = Campaign.Evolve(state, new PageFailed(Campaign.MaxErrors, "storage", T0.AddHours(1)));
        Assert.Equal("failed", failed.Status);
    }

    [Fact]
    public void Starting_a_campaign_without_recipients_completes_it_at_once()
    {
        var (state, effects) = When(Given(Created(pages: 0)), Start());

        Assert.Empty(Sends(effects));
        Assert.Equal("completed", state.Status);
    }

    [Fact]
    public void Pausing_a_paused_campaign_keeps_the_first_reason()
    {
        var state = Given(Created(), Start(), new PauseRequested("template-PAUSED", T0.AddMinutes(1)));

        var (again, _) = When(state, new PauseRequested("operator", T0.AddMinutes(2)));

        Assert.Equal("template-PAUSED", Assert.IsType<CampaignState.Paused>(again).Reason);
    }

    [Fact]
    public void Every_change_publishes_the_status_first_and_a_repeat_publishes_nothing()
    {
        var (_, effects) = When(Given(Created()), Start());

        var record = Assert.IsType<CampaignEffect.RecordStatus>(effects[0]);
        Assert.Equal(("running", 0, 300), (record.Snapshot.Status, record.Snapshot.PagesDone, record.Snapshot.Eligible));
        Assert.Empty(When(Given(Created(), Start()), Start()).Effects);
        var paused = When(Given(Created(), Start()), new PauseRequested("template-PAUSED", T0.AddMinutes(3))).Effects;
        Assert.Equal("template-PAUSED", Assert.IsType<CampaignEffect.RecordStatus>(Assert.Single(paused)).Snapshot.PausedReason);
    }

    [Fact]
    public void A_status_row_that_cannot_be_written_changes_nothing()
    {
        var state = Given(Created(), Start());
        var record = (CampaignEffect.RecordStatus)Campaign.Decide(Given(Created()), Start())[0];

        var input = Campaign.EffectFailed(record, "storage", T0.AddMinutes(2))!;

        Assert.Equal(state, Campaign.Evolve(state, input));
    }

    [Fact]
    public void State_and_inputs_survive_the_hosts_json_unchanged()
    {
        var definition = CampaignWorkflow.Definition;
        var state = Given(Created(), Start(), new PageSent(0, 1, Tally(3, "withdrawnDuringCampaign", 2, "131026", 1), 0, false, null, T0.AddMinutes(2)));

        var roundTripped = definition.DeserializeState(definition.SerializeState(state));

        Assert.Equal(state.Status, roundTripped.Status);
        Assert.True(Campaign.ProgressOf(state).Tally.SameCounts(Campaign.ProgressOf(roundTripped).Tally));
        Assert.Equal(definition.SerializeState(state), definition.SerializeState(roundTripped));
    }

    [Fact]
    public void An_uploaded_audience_replaces_a_drafts_plan_and_its_pages_are_read_from_that_snapshot()
    {
        var uploaded = Plan(pages: 7) with { Audience = "a0123456789ab" };
        var draft = Given(Created(), new AudienceReplaced(uploaded, T0.AddSeconds(30)));

        var (_, effects) = When(draft, Start());

        Assert.Equal(uploaded, Campaign.PlanOf(draft));
        Assert.Equal("a0123456789ab", Page(effects).Audience);
    }

    [Fact]
    public void A_start_that_overtakes_the_uploaded_audience_on_the_queue_still_sends_to_that_audience()
    {
        var uploaded = Plan(pages: 7) with { Audience = "a0123456789ab" };
        var draft = Given(Created());

        var (state, effects) = When(draft, new StartRequested(null, T0.AddMinutes(1), uploaded));

        Assert.Equal(uploaded, Campaign.PlanOf(state));
        Assert.Equal("a0123456789ab", Page(effects).Audience);
    }

    [Fact]
    public void An_audience_that_arrives_after_the_start_changes_nothing()
    {
        var running = Given(Created(), Start());

        var (state, effects) = When(running, new AudienceReplaced(Plan(pages: 7) with { Audience = "a0123456789ab" }, T0.AddMinutes(2)));

        Assert.Same(running, state);
        Assert.Empty(effects);
    }

    [Fact]
    public void A_dispatch_covers_several_pages_at_a_high_rate_and_the_last_one_only_what_is_left()
    {
        var plan = Plan(pages: 7) with { PagesPerDispatch = 3 };
        var (running, first) = When(Given(new Created(plan, T0)), Start());
        var (_, second) = When(running, Done(0, 1, sent: 300));
        var (afterSecond, _) = When(running, Done(0, 1, sent: 300));
        var (_, third) = When(afterSecond, Done(3, 2, sent: 300));
        var (afterThird, _) = When(afterSecond, Done(3, 2, sent: 300));

        var (completed, _) = When(afterThird, Done(6, 3, sent: 100));

        Assert.Equal([(0, 3), (3, 3), (6, 1)], new[] { Page(first), Page(second), Page(third) }.Select(p => (p.Page, p.Pages)));
        Assert.Equal(700, Assert.IsType<CampaignState.Completed>(completed).Progress.Tally.Sent);
    }
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(2, 16)]
    [InlineData(3, 64)]
    [InlineData(5, 900)]
    public void Backoff_is_four_to_the_attempt_seconds_from_the_first_attempt_and_never_above_fifteen_minutes(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Campaign.Backoff(attempt));

    [Fact]
    public void An_audience_uploaded_for_another_campaign_does_not_change_this_draft()
    {
        var draft = Given(Created());

        var (state, effects) = When(draft, new AudienceReplaced(Plan(pages: 7, id: "c-2"), T0.AddSeconds(30)));

        Assert.Same(draft, state);
        Assert.Empty(effects);
    }

    [Fact]
    public void A_start_whose_send_time_is_now_sends_at_once_instead_of_scheduling()
    {
        var start = Start();

        var (state, effects) = When(Given(Created()), start with { SendAt = start.At });

        Assert.Equal("running", state.Status);
        Assert.Equal(0, Page(effects).Page);
    }

    [Fact]
    public void An_answer_for_another_page_of_the_round_in_flight_is_ignored()
    {
        var state = Given(Created(), Start());

        var (again, effects) = When(state, Done(1, 1));

        Assert.Same(state, again);
        Assert.Empty(effects);
    }

    [Fact]
    public void An_answer_that_comes_after_its_page_already_landed_is_ignored_even_for_the_same_page_and_round()
    {
        var waiting = Given(Created(), Start(), new PageSent(0, 1, Tally(90), Pending: 10, Throttled: false, null, T0.AddMinutes(2)));

        var (again, effects) = When(waiting, new PageSent(0, 1, Tally(100), Pending: 0, Throttled: false, null, T0.AddMinutes(3)));

        Assert.Same(waiting, again);
        Assert.Empty(effects);
    }

    [Fact]
    public void The_start_time_is_the_first_dispatch_and_later_dispatches_keep_it()
    {
        var (state, _) = When(Given(Created(), Start(minutes: 1)), Done(0, 1, minutes: 5));

        Assert.Equal(T0.AddMinutes(1), Campaign.ProgressOf(state).StartedAt);
        Assert.Equal(2, Campaign.ProgressOf(state).Round);
    }

    [Fact]
    public void A_completed_campaign_has_nothing_in_flight_and_no_deadline()
    {
        var (empty, _) = When(Given(Created(pages: 0)), Start());
        var (finished, _) = When(Given(Created(pages: 1), Start()), Done(0, 1));

        Assert.All([empty, finished], state =>
        {
            Assert.False(Campaign.ProgressOf(state).InFlight);
            Assert.Null(Campaign.ProgressOf(state).RetryAt);
            Assert.Null(Campaign.Deadline(state));
        });
    }

    [Fact]
    public void A_page_answered_without_throttling_does_not_count_as_a_slowdown()
    {
        var (state, _) = When(Given(Created(), Start()), new PageSent(0, 1, Tally(90), Pending: 10, Throttled: false, null, T0.AddMinutes(2)));

        Assert.Equal(0, Campaign.ProgressOf(state).Slowdowns);
    }

    [Fact]
    public void The_attempt_before_the_last_still_waits_and_the_last_moves_on_with_what_is_left_pending()
    {
        var state = Given(Created(), Start());
        for (var round = 1; round < Campaign.MaxPageAttempts; round++)
        {
            state = Campaign.Evolve(state, new PageSent(0, round, Tally(0), 1, false, null, T0.AddHours(round)));
            Assert.Equal(round, Campaign.ProgressOf(state).PageAttempt);
            state = Campaign.Evolve(state, new DeadlineReached(Campaign.Deadline(state)!.Value));
        }

        var (next, effects) = When(state, new PageSent(0, Campaign.MaxPageAttempts, Tally(0), 1, false, null, T0.AddDays(1)));

        Assert.Equal(1, Page(effects).Page);
        Assert.Equal(0, Campaign.ProgressOf(next).PageAttempt);
    }

    [Fact]
    public void Given_a_paused_campaign_when_its_in_flight_page_still_has_people_pending_then_it_stays_paused_and_waits_to_retry()
    {
        var state = Given(Created(), Start(), new PauseRequested("operator", T0.AddMinutes(1)));

        var (paused, effects) = When(state, new PageSent(0, 1, Tally(90), Pending: 10, Throttled: false, null, T0.AddMinutes(2)));

        Assert.Empty(Sends(effects));
        Assert.Equal("operator", Assert.IsType<CampaignState.Paused>(paused).Reason);
        Assert.Equal(1, Campaign.ProgressOf(paused).PageAttempt);
        Assert.Equal(0, Campaign.ProgressOf(paused).NextPage);
    }

    [Fact]
    public void The_last_page_completes_the_campaign_while_the_one_before_it_dispatches_the_next()
    {
        var (running, beforeLast) = When(Given(Created(pages: 2), Start()), Done(0, 1));
        var (completed, last) = When(running, Done(1, 2));

        Assert.Equal(1, Page(beforeLast).Page);
        Assert.Equal("running", running.Status);
        Assert.Empty(Sends(last));
        Assert.Equal("completed", completed.Status);
    }

    [Fact]
    public void A_campaign_that_fails_for_good_names_the_error_it_failed_on()
    {
        var state = Given(Created(), Start());
        for (var i = 1; i < Campaign.MaxErrors; i++)
        {
            state = Campaign.Evolve(state, new PageFailed(i, "storage", T0.AddMinutes(i)));
            state = Campaign.Evolve(state, new ResumeRequested(T0.AddMinutes(i)));
        }

        var failed = Assert.IsType<CampaignState.Failed>(Campaign.Evolve(state, new PageFailed(Campaign.MaxErrors, "storage", T0.AddHours(1))));

        Assert.Equal("error:storage", failed.Reason);
    }
}
