namespace Messaging.Shared.Events;

/// <summary>
/// An operator's view of an event a receiver did not accept for <see cref="EventsOptions.GiveUpAfter"/>: no data or
/// content, only what is needed to decide between replay and discard. <see cref="Id"/> names the subscription and the
/// outbox row (contact key and sequence number), nothing personal.
/// </summary>
public sealed record ParkedEvent(
    string Id,
    string SubscriptionId,
    string ContactKey,
    string Type,
    string EventId,
    DateTimeOffset? OccurredAt,
    int Attempts,
    DateTimeOffset? FirstFailureAt,
    DateTimeOffset? ParkedAt);
