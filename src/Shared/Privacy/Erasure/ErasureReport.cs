namespace Messaging.Shared.Privacy.Erasure;

/// <summary>What an erasure did, for the data-subject request's report. Counts and codes only, no personal data.</summary>
/// <param name="RowsRemoved">Rows removed per store, in the order the stores were cleared.</param>
/// <param name="WorkflowInstances">Workflow instances of the contact that were terminated and purged.</param>
/// <param name="Notification">How the person was told (see <see cref="ErasureInput.ContactNotified"/>), or null if not asked.</param>
public sealed record ErasureReport(IReadOnlyList<StoreCount> RowsRemoved, int WorkflowInstances, string? Notification, bool KeyShredded)
{
    public static ErasureReport Empty { get; } = new([], 0, null, false);

    public ErasureReport Add(string store, int removed)
    {
        var existing = RowsRemoved.FirstOrDefault(c => c.Store == store);
        var rows = existing is null
            ? [.. RowsRemoved, new StoreCount(store, removed)]
            : RowsRemoved.Select(c => c.Store == store ? c with { Rows = c.Rows + removed } : c).ToList();
        return this with { RowsRemoved = rows };
    }

    public int Rows(string store) => RowsRemoved.FirstOrDefault(c => c.Store == store)?.Rows ?? 0;
}
