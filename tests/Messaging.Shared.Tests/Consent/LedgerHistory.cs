using Messaging.Shared.Consent.Ledger;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

/// <summary>A sequence of ledger events as it might reach the projection: reordered, repeated, stale.</summary>
public sealed record LedgerHistory(IReadOnlyList<ConsentEvent> Events)
{
    public override string ToString() => string.Join(" | ", Events.Select(e => $"{e.GetType().Name}({e.EventId}@{(e.OccurredAt - T0).TotalSeconds})"));
}
