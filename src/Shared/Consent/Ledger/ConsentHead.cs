namespace Messaging.Shared.Consent.Ledger;

/// <summary>
/// The projection of one contact's ledger for one purpose: what <see cref="Sending.SendPolicy"/> reads. A storage
/// adapter keeps it next to the events and writes both in one transaction.
/// </summary>
/// <param name="Purpose">The purpose this head belongs to; events for another purpose are a wiring error.</param>
/// <param name="Status">Current status.</param>
/// <param name="ChangedAt">When the last accepted event occurred; null before the first.</param>
/// <param name="LastEventId">Id of the last accepted event, so its redelivery is recognised.</param>
/// <param name="PendingRequestId">The request awaiting an answer while <see cref="ConsentStatus.Pending"/>.</param>
/// <param name="LastRequestId">The most recent request ever opened, so a replay of its Requested event cannot reopen it.</param>
public sealed record ConsentHead(
    string Purpose,
    ConsentStatus Status,
    DateTimeOffset? ChangedAt,
    string? LastEventId,
    string? PendingRequestId,
    string? LastRequestId)
{
    public string Purpose { get; init; } = ConsentPurpose.Validate(Purpose, nameof(Purpose));

    /// <summary>The head of a ledger with no events.</summary>
    public static ConsentHead Empty(string purpose) => new(purpose, ConsentStatus.None, null, null, null, null);
}
