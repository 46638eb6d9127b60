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

    /// <summary>
    /// An oracle written apart from the projection: every change of the head is the one its event names, stamped with
    /// that event, and confirmed consent ends only by a withdrawal (never by a stale request, expiry or decline).
    /// </summary>
    [Property]
    public bool Every_change_is_the_one_its_event_names_and_confirmed_consent_ends_only_by_withdrawal(LedgerHistory history) =>
        Steps(history).All(step =>
            Equals(step.Before, step.After)
            || (step.After.Status == StatusNamedBy(step.Event)
                && step.After.LastEventId == step.Event.EventId
                && step.After.ChangedAt == step.Event.OccurredAt
                && (step.Before.Status != ConsentStatus.Confirmed || step.Event is ConsentWithdrawn)));

    [Property]
    public bool An_event_the_projection_accepts_always_changes_the_head(LedgerHistory history) =>
        Steps(history).All(step => !ConsentProjection.Accepts(step.Before, step.Event) || !Equals(step.Before, step.After));

    private static ConsentStatus StatusNamedBy(ConsentEvent e) => e switch
    {
        ConsentRequested => ConsentStatus.Pending,
        ConsentConfirmed or ConsentGranted => ConsentStatus.Confirmed,
        ConsentDeclined => ConsentStatus.Declined,
        ConsentExpired => ConsentStatus.Expired,
        ConsentWithdrawn => ConsentStatus.Withdrawn,
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };
}
