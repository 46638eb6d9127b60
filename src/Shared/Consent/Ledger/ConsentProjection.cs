namespace Messaging.Shared.Consent.Ledger;

/// <summary>
/// Folds ledger events into a <see cref="ConsentHead"/>. The head follows the contact's latest expressed intent:
/// <list type="bullet">
/// <item>An event older than the head's <see cref="ConsentHead.ChangedAt"/> is stale and ignored. Meta delivers out
/// of order and for days; the ledger keeps the order in which things happened, not the order they arrived in.</item>
/// <item>Confirmed, Declined and Expired only answer the request that is pending, so a late reply to an old or
/// superseded request resurrects nothing.</item>
/// <item>Withdrawn is honoured from every status (Art. 7(3), 21(3) GDPR); a second withdrawal is a no-op.</item>
/// <item>A withdrawal is lifted only by an explicit Granted, or by a new Requested that is later confirmed, and only
/// when it happened strictly after the withdrawal. Requested is always required to be strictly later than the last
/// change, so replaying an old request can never reopen it.</item>
/// <item>Requested is refused while Confirmed: a second request would downgrade consent that is already proven.</item>
/// </list>
/// The head remembers only the last event id; the ledger's storage must make event ids unique (insert, conflict =
/// duplicate). The time rules above keep any replayed event from changing the head even without that.
/// </summary>
public static class ConsentProjection
{
    /// <summary>Whether appending <paramref name="e"/> would change the head; false for duplicates and stale events.</summary>
    public static bool Accepts(ConsentHead head, ConsentEvent e)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(e);
        if (!string.Equals(head.Purpose, e.Purpose, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event purpose '{e.Purpose}' does not match head purpose '{head.Purpose}'.", nameof(e));
        }

        if (string.Equals(e.EventId, head.LastEventId, StringComparison.Ordinal))
        {
            return false;
        }

        if (head.ChangedAt is { } changedAt && e.OccurredAt < changedAt)
        {
            return false;
        }

        var strictlyLater = head.ChangedAt is not { } last || e.OccurredAt > last;
        return e switch
        {
            ConsentRequested r => strictlyLater
                && head.Status != ConsentStatus.Confirmed
                && !string.Equals(r.RequestId, head.LastRequestId, StringComparison.Ordinal),
            ConsentConfirmed c => AnswersPending(head, c.RequestId),
            ConsentDeclined d => AnswersPending(head, d.RequestId),
            ConsentExpired x => AnswersPending(head, x.RequestId),
            ConsentGranted => head.Status switch
            {
                ConsentStatus.Confirmed => false,
                ConsentStatus.Withdrawn => strictlyLater,
                _ => true,
            },
            ConsentWithdrawn => head.Status != ConsentStatus.Withdrawn,
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown consent event."),
        };
    }

    public static ConsentHead Evolve(ConsentHead head, ConsentEvent e)
    {
        if (!Accepts(head, e))
        {
            return head;
        }

        var moved = head with { ChangedAt = e.OccurredAt, LastEventId = e.EventId };
        return e switch
        {
            ConsentRequested r => moved with { Status = ConsentStatus.Pending, PendingRequestId = r.RequestId, LastRequestId = r.RequestId },
            ConsentConfirmed => moved with { Status = ConsentStatus.Confirmed, PendingRequestId = null },
            ConsentDeclined => moved with { Status = ConsentStatus.Declined, PendingRequestId = null },
            ConsentExpired => moved with { Status = ConsentStatus.Expired, PendingRequestId = null },
            ConsentGranted => moved with { Status = ConsentStatus.Confirmed, PendingRequestId = null },
            ConsentWithdrawn => moved with { Status = ConsentStatus.Withdrawn, PendingRequestId = null },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown consent event."),
        };
    }

    /// <summary>The head after applying <paramref name="events"/> in order to an empty ledger.</summary>
    public static ConsentHead Replay(string purpose, IEnumerable<ConsentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Aggregate(ConsentHead.Empty(purpose), Evolve);
    }

    private static bool AnswersPending(ConsentHead head, string requestId) =>
        head.Status == ConsentStatus.Pending && string.Equals(head.PendingRequestId, requestId, StringComparison.Ordinal);
}
