using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using static Messaging.Shared.Consent.OptIn.DoubleOptInCommand;
using static Messaging.Shared.Consent.OptIn.DoubleOptInInput;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

public sealed class DoubleOptInTests
{
    private static readonly DateTimeOffset DueAt = T0 + Window;

    private static DoubleOptInState Given(params DoubleOptInInput[] history) => history.Aggregate(DoubleOptIn.Initial, DoubleOptIn.Evolve);

    private static (DoubleOptInState State, IReadOnlyList<DoubleOptInCommand> Commands) When(DoubleOptInState state, DoubleOptInInput input) =>
        (DoubleOptIn.Evolve(state, input), DoubleOptIn.Decide(state, input));

    private static ConfirmationSent Sent(int minutes = 1) => new("hmac-wamid-out", T0.AddMinutes(minutes));

    private static ReplyReceived Reply(ReplyKind kind, DateTimeOffset at) => new(kind, "hmac-wamid-in", at);

    private static TEvent AppendedEvent<TEvent>(IReadOnlyList<DoubleOptInCommand> commands)
        where TEvent : ConsentEvent =>
        Assert.IsType<TEvent>(Assert.Single(commands.OfType<AppendConsentEvent>()).Event);

    [Fact]
    public void A_request_appends_a_pending_request_then_sends_the_template_and_sets_the_deadline()
    {
        var (state, commands) = When(Given(), Request());

        Assert.Collection(
            commands,
            c => Assert.Equal(new AppendConsentEvent("doi:r-1:append-requested", ContactKey, new ConsentRequested("doi:r-1:requested", Marketing, T0, WebProof, "r-1")), c),
            c => Assert.Equal(new SendConfirmationTemplate("doi:r-1:send-confirmation", "r-1", ContactKey, Marketing), c));
        var awaiting = Assert.IsType<DoubleOptInState.AwaitingConfirmation>(state);
        Assert.Equal(DueAt, awaiting.DueAt);
        Assert.Equal(DueAt, DoubleOptIn.Deadline(state));
        Assert.False(DoubleOptIn.IsTerminal(state));
    }

    [Fact]
    public void A_sent_template_is_remembered_without_further_commands()
    {
        var (state, commands) = When(Given(Request()), Sent());

        Assert.Empty(commands);
        var awaiting = Assert.IsType<DoubleOptInState.AwaitingConfirmation>(state);
        Assert.Equal("hmac-wamid-out", awaiting.SentRef);
        Assert.Equal(T0.AddMinutes(1), awaiting.SentAt);
    }

    [Fact]
    public void A_confirmation_in_time_confirms_consent_with_the_original_wording_and_the_reply_as_evidence()
    {
        var replyAt = T0.AddHours(2);

        var (state, commands) = When(Given(Request(), Sent()), Reply(ReplyKind.Confirm, replyAt));

        var confirmed = AppendedEvent<ConsentConfirmed>(commands);
        Assert.Equal("doi:r-1:confirmed", confirmed.EventId);
        Assert.Equal("r-1", confirmed.RequestId);
        Assert.Equal(replyAt, confirmed.OccurredAt);
        Assert.Equal(new ConsentProof(ConsentSources.DoubleOptIn, ConsentChannels.WhatsApp, WebProof.ConsentText, "consent-v3", "privacy-2026-01", "hmac-wamid-in"), confirmed.Proof);
        Assert.Null(DoubleOptIn.Deadline(state));
        Assert.Equal(DoubleOptInOutcome.Confirmed, DoubleOptIn.Outcome(state));
        Assert.IsType<DoubleOptInState.Confirmed>(state);
        Assert.True(DoubleOptIn.IsTerminal(state));
        Assert.Null(DoubleOptIn.Deadline(state));
    }

    [Fact]
    public void A_confirmation_exactly_at_the_deadline_still_counts()
    {
        var (state, commands) = When(Given(Request(), Sent()), Reply(ReplyKind.Confirm, DueAt));

        AppendedEvent<ConsentConfirmed>(commands);
        Assert.IsType<DoubleOptInState.Confirmed>(state);
    }

    [Fact]
    public void A_confirmation_before_the_send_was_reported_still_counts()
    {
        var (state, _) = When(Given(Request()), Reply(ReplyKind.Confirm, T0.AddSeconds(30)));

        Assert.IsType<DoubleOptInState.Confirmed>(state);
    }

    [Fact]
    public void A_decline_closes_the_request_as_declined()
    {
        var (state, commands) = When(Given(Request(), Sent()), Reply(ReplyKind.Decline, T0.AddHours(1)));

        Assert.Equal("doi:r-1:declined", AppendedEvent<ConsentDeclined>(commands).EventId);
        Assert.Equal(DoubleOptInOutcome.Declined, DoubleOptIn.Outcome(state));
        Assert.IsType<DoubleOptInState.Declined>(state);
    }

    [Theory]
    [InlineData("text", "JA", null, DoubleOptInOutcome.Confirmed)]
    [InlineData("text", " yes! ", null, DoubleOptInOutcome.Confirmed)]
    [InlineData("text", "Nein.", null, DoubleOptInOutcome.Declined)]
    [InlineData("text", "no", null, DoubleOptInOutcome.Declined)]
    [InlineData("button", "Ja, ich stimme zu", "doi:r-1:confirm", DoubleOptInOutcome.Confirmed)]
    [InlineData("button", "Nein danke", "doi:r-1:decline", DoubleOptInOutcome.Declined)]
    public void Typed_answers_and_quick_reply_buttons_end_the_opt_in(string type, string text, string? payload, DoubleOptInOutcome outcome)
    {
        var kind = DoubleOptInReplies.Classify(type, text, payload, "r-1");
        Assert.NotNull(kind);

        var (state, _) = When(Given(Request(), Sent()), Reply(kind.Value, T0.AddHours(3)));

        Assert.Equal(outcome, DoubleOptIn.Outcome(state));
    }

    [Fact]
    public void The_deadline_expires_the_request_at_the_deadline()
    {
        var (state, commands) = When(Given(Request(), Sent()), new DeadlineReached(DueAt.AddSeconds(3)));

        var expired = AppendedEvent<ConsentExpired>(commands);
        Assert.Equal("doi:r-1:expired", expired.EventId);
        Assert.Equal(DueAt, expired.OccurredAt);
        Assert.Equal(DoubleOptInOutcome.Expired, DoubleOptIn.Outcome(state));
        Assert.IsType<DoubleOptInState.Expired>(state);
    }

    [Fact]
    public void A_timer_that_fires_before_the_deadline_is_ignored()
    {
        var before = Given(Request(), Sent());

        var (state, commands) = When(before, new DeadlineReached(DueAt.AddSeconds(-1)));

        Assert.Empty(commands);
        Assert.Equal(before, state);
    }

    [Fact]
    public void A_confirmation_after_the_deadline_is_not_a_confirmation_but_an_expiry()
    {
        var (state, commands) = When(Given(Request(), Sent()), Reply(ReplyKind.Confirm, DueAt.AddSeconds(1)));

        Assert.DoesNotContain(commands, c => c is AppendConsentEvent { Event: ConsentConfirmed });
        Assert.Equal(DueAt, AppendedEvent<ConsentExpired>(commands).OccurredAt);
        Assert.Null(DoubleOptIn.Deadline(state));
        Assert.IsType<DoubleOptInState.Expired>(state);
    }

    [Fact]
    public void A_confirmation_after_expiry_is_ignored()
    {
        var expired = Given(Request(), Sent(), new DeadlineReached(DueAt));

        var (state, commands) = When(expired, Reply(ReplyKind.Confirm, DueAt.AddMinutes(5)));

        Assert.Empty(commands);
        Assert.Equal(expired, state);
    }

    [Fact]
    public void Stop_while_pending_withdraws_consent_and_completes()
    {
        var stopAt = T0.AddHours(1);

        var (state, commands) = When(Given(Request(), Sent()), new StopReceived("hmac-wamid-stop", stopAt));

        var withdrawn = AppendedEvent<ConsentWithdrawn>(commands);
        Assert.Equal("doi:r-1:withdrawn", withdrawn.EventId);
        Assert.Equal(WithdrawalReason.StopKeyword, withdrawn.Reason);
        Assert.Equal(stopAt, withdrawn.OccurredAt);
        Assert.Equal(new ConsentProof(ConsentSources.WhatsAppKeyword, ConsentChannels.WhatsApp, null, null, "privacy-2026-01", "hmac-wamid-stop"), withdrawn.Proof);
        Assert.Null(DoubleOptIn.Deadline(state));
        Assert.Equal(DoubleOptInOutcome.Withdrawn, DoubleOptIn.Outcome(state));
        Assert.IsType<DoubleOptInState.Withdrawn>(state);
    }

    [Fact]
    public void Stop_after_the_deadline_but_before_the_timer_is_still_honoured_as_withdrawal()
    {
        var (state, _) = When(Given(Request(), Sent()), new StopReceived("hmac-wamid-stop", DueAt.AddHours(1)));

        Assert.IsType<DoubleOptInState.Withdrawn>(state);
    }

    [Fact]
    public void A_failed_confirmation_ends_the_opt_in_as_failed_and_closes_the_pending_request()
    {
        var (state, commands) = When(Given(Request()), new ConfirmationFailed("meta-132001", T0.AddMinutes(2)));

        Assert.Equal("doi:r-1:expired", AppendedEvent<ConsentExpired>(commands).EventId);
        Assert.Null(DoubleOptIn.Deadline(state));
        Assert.Equal(DoubleOptInOutcome.Failed, DoubleOptIn.Outcome(state));
        Assert.Equal("meta-132001", Assert.IsType<DoubleOptInState.Failed>(state).Reason);
    }

    [Fact]
    public void A_second_request_to_a_running_opt_in_is_ignored()
    {
        var running = Given(Request("r-1"));

        var (state, commands) = When(running, Request("r-2"));

        Assert.Empty(commands);
        Assert.Equal(running, state);
    }

    public static TheoryData<string> EveryInputKind => ["requested", "sent", "failed", "confirm", "decline", "stop", "deadline"];

    private static DoubleOptInInput Input(string kind) => kind switch
    {
        "requested" => Request(),
        "sent" => Sent(),
        "failed" => new ConfirmationFailed("meta-131026", T0.AddMinutes(3)),
        "confirm" => Reply(ReplyKind.Confirm, T0.AddHours(1)),
        "decline" => Reply(ReplyKind.Decline, T0.AddHours(1)),
        "stop" => new StopReceived("hmac-wamid-stop", T0.AddHours(1)),
        _ => new DeadlineReached(DueAt),
    };

    [Theory]
    [MemberData(nameof(EveryInputKind))]
    public void A_repeated_input_is_a_no_op(string kind)
    {
        var input = Input(kind);
        var history = kind == "requested" ? new[] { input } : [Request(), input];
        var afterFirst = Given(history);

        var (state, commands) = When(afterFirst, input);

        Assert.Empty(commands);
        Assert.Equal(afterFirst, state);
    }

    public static TheoryData<string, string> EveryTerminalStateAndInput()
    {
        var data = new TheoryData<string, string>();
        foreach (var terminal in new[] { "confirm", "decline", "deadline", "stop", "failed" })
        {
            foreach (var input in EveryInputKind)
            {
                data.Add(terminal, input);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTerminalStateAndInput))]
    public void Inputs_after_a_terminal_state_are_no_ops(string ending, string kind)
    {
        var terminal = Given(Request(), Sent(), Input(ending));
        Assert.True(DoubleOptIn.IsTerminal(terminal));

        var (state, commands) = When(terminal, Input(kind));

        Assert.Empty(commands);
        Assert.Equal(terminal, state);
    }

    [Theory]
    [MemberData(nameof(EveryInputKind))]
    public void Inputs_before_the_request_are_no_ops(string kind)
    {
        if (kind == "requested")
        {
            return;
        }

        var (state, commands) = When(Given(), Input(kind));

        Assert.Empty(commands);
        Assert.IsType<DoubleOptInState.NotStarted>(state);
    }

    [Theory]
    [MemberData(nameof(EveryInputKind))]
    public void Command_ids_are_deterministic_and_unique_per_step(string ending)
    {
        DoubleOptInInput[] path = [Request(), Sent(), Input(ending)];

        var first = Run(path);
        var second = Run(path);

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Select(c => c.CommandId).Distinct().Count());
        Assert.All(first, c => Assert.StartsWith("doi:r-1:", c.CommandId, StringComparison.Ordinal));
        var events = first.OfType<AppendConsentEvent>().Select(a => a.Event.EventId).ToList();
        Assert.Equal(events.Count, events.Distinct().Count());
    }

    [Fact]
    public void Command_ids_of_different_requests_differ()
    {
        var one = Run([Request("r-1")]).Select(c => c.CommandId);
        var two = Run([Request("r-2")]).Select(c => c.CommandId);

        Assert.Empty(one.Intersect(two));
    }

    private static List<DoubleOptInCommand> Run(IEnumerable<DoubleOptInInput> inputs)
    {
        var state = DoubleOptIn.Initial;
        var commands = new List<DoubleOptInCommand>();
        foreach (var input in inputs)
        {
            commands.AddRange(DoubleOptIn.Decide(state, input));
            state = DoubleOptIn.Evolve(state, input);
        }

        return commands;
    }

    [Fact]
    public void The_decider_ledger_events_project_to_the_matching_consent_status()
    {
        var commands = Run([Request(), Sent(), Reply(ReplyKind.Confirm, T0.AddHours(1))]);

        var head = ConsentProjection.Replay(Marketing, commands.OfType<AppendConsentEvent>().Select(a => a.Event));

        Assert.Equal(ConsentStatus.Confirmed, head.Status);
    }
}
