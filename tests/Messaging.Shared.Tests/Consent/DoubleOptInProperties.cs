using FsCheck.Xunit;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.OptIn;
using static Messaging.Shared.Consent.OptIn.DoubleOptInCommand;
using static Messaging.Shared.Consent.OptIn.DoubleOptInInput;

namespace Messaging.Shared.Tests.Consent;

[Properties(Arbitrary = [typeof(ConsentArbitraries)], MaxTest = 500)]
public sealed class DoubleOptInProperties
{
    private static IEnumerable<(DoubleOptInState Before, DoubleOptInInput Input, IReadOnlyList<DoubleOptInCommand> Commands, DoubleOptInState After)> Steps(
        DoubleOptInHistory history)
    {
        var state = DoubleOptIn.Initial;
        foreach (var input in history.Inputs)
        {
            var commands = DoubleOptIn.Decide(state, input);
            var next = DoubleOptIn.Evolve(state, input);
            yield return (state, input, commands, next);
            state = next;
        }
    }

    private static bool AppendsConfirmation(IReadOnlyList<DoubleOptInCommand> commands) =>
        commands.Any(c => c is AppendConsentEvent { Event: ConsentConfirmed });

    [Property]
    public bool Consent_is_confirmed_only_by_a_confirm_reply_at_or_before_the_deadline(DoubleOptInHistory history) =>
        Steps(history).All(step =>
            !AppendsConfirmation(step.Commands)
            || (step.Input is ReplyReceived { Kind: ReplyKind.Confirm } reply
                && step.Before is DoubleOptInState.AwaitingConfirmation awaiting
                && reply.At <= awaiting.DueAt));

    [Property]
    public bool Consent_is_never_confirmed_after_a_stop(DoubleOptInHistory history)
    {
        var stopped = false;
        foreach (var step in Steps(history))
        {
            if (stopped && AppendsConfirmation(step.Commands))
            {
                return false;
            }

            stopped |= step.Input is StopReceived && step.Before is not DoubleOptInState.NotStarted;
        }

        return true;
    }

    [Property]
    public bool Feeding_any_input_again_right_away_is_a_no_op(DoubleOptInHistory history) =>
        Steps(history).All(step =>
            DoubleOptIn.Decide(step.After, step.Input).Count == 0
            && Equals(DoubleOptIn.Evolve(step.After, step.Input), step.After));

    [Property]
    public bool Command_ids_are_unique_within_a_run_and_the_same_on_a_rerun(DoubleOptInHistory history)
    {
        var first = Steps(history).SelectMany(s => s.Commands).ToList();
        var second = Steps(history).SelectMany(s => s.Commands).ToList();
        return first.SequenceEqual(second) && first.Select(c => c.CommandId).Distinct().Count() == first.Count;
    }

    [Property]
    public bool A_terminal_state_is_final_and_has_no_deadline(DoubleOptInHistory history) =>
        Steps(history).All(step =>
            !DoubleOptIn.IsTerminal(step.Before)
            || (Equals(step.Before, step.After) && step.Commands.Count == 0 && DoubleOptIn.Deadline(step.After) is null));
}
