using FsCheck.Xunit;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Sending;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

[Properties(Arbitrary = [typeof(ConsentArbitraries)], MaxTest = 500)]
public sealed class ConsentLedgerProperties
{
    private static IEnumerable<(ConsentHead Before, ConsentEvent Event, ConsentHead After)> Steps(LedgerHistory history)
    {
        var head = ConsentHead.Empty(Marketing);
        foreach (var e in history.Events)
        {
            var next = ConsentProjection.Evolve(head, e);
            yield return (head, e, next);
            head = next;
        }
    }

    [Property]
    public bool No_sequence_lets_marketing_through_unless_the_head_is_confirmed_and_the_contact_not_erased(
        LedgerHistory history, bool serviceWindowOpen, bool erased)
    {
        var context = new SendContext(serviceWindowOpen, erased);
        return Steps(history).All(step =>
            !SendPolicy.Decide(step.After, MessageKind.Marketing, context).Allowed
            || (step.After.Status == ConsentStatus.Confirmed && !erased));
    }

    [Property]
    public bool After_a_withdrawal_marketing_passes_only_after_a_later_grant_or_the_confirmation_of_a_new_request(LedgerHistory history)
    {
        var withdrawn = false;
        var requestsSinceWithdrawal = new HashSet<string>();
        var context = new SendContext(ServiceWindowOpen: true, ContactErased: false);
        foreach (var (before, e, after) in Steps(history))
        {
            var accepted = !Equals(before, after);
            switch (e)
            {
                case ConsentWithdrawn when accepted:
                    withdrawn = true;
                    requestsSinceWithdrawal.Clear();
                    break;
                case ConsentRequested r when accepted && withdrawn:
                    requestsSinceWithdrawal.Add(r.RequestId);
                    break;
                case ConsentGranted when accepted:
                case ConsentConfirmed c when accepted && requestsSinceWithdrawal.Contains(c.RequestId):
                    withdrawn = false;
                    break;
            }

            if (withdrawn && SendPolicy.Decide(after, MessageKind.Marketing, context).Allowed)
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool Redelivering_an_event_that_was_already_applied_never_changes_the_head(LedgerHistory history)
    {
        var steps = Steps(history).ToList();
        var final = steps.Count == 0 ? ConsentHead.Empty(Marketing) : steps[^1].After;
        return steps.All(step =>
            Equals(ConsentProjection.Evolve(step.After, step.Event), step.After)
            && (Equals(step.Before, step.After) || Equals(ConsentProjection.Evolve(final, step.Event), final)));
    }

    [Property]
    public bool Accepts_says_exactly_whether_an_event_changes_the_head(LedgerHistory history) =>
        Steps(history).All(step => ConsentProjection.Accepts(step.Before, step.Event) == !Equals(step.Before, step.After));
}
