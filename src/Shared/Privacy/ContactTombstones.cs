using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Privacy;

/// <summary>
/// The Suppression table: tombstones of erased contacts (under the contact key) and suppressed identifiers (under the
/// alias's keyed hash, so no plaintext). A tombstone is written before anything is deleted and never lifted: the
/// consent gate refuses the contact, resolution creates nothing for it and late statuses are dropped. Kept as the
/// suppression list after an objection or erasure (Art. 17(3)(e), Art. 21(3) GDPR; DSK Werbesperrdatei).
/// </summary>
public sealed class ContactTombstones(StorageClients storage, TimeProvider time)
{
    public const string TombstoneRow = "tombstone";
    public const string SuppressedRow = "suppressed";
    public const string ReceiptRow = "receipt";

    /// <summary>
    /// Every tombstone is also filed here under the wall-clock time it was written, so each instance learns of new
    /// tombstones with one small range query a second instead of a read per inbound event.
    /// </summary>
    public const string RecentPartition = "recent-tombstones";

    /// <summary>How often an instance that trusts its cached "not erased" answers looks for new tombstones.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long <see cref="TombstoneAsync"/> waits after writing: by then every instance has either polled the
    /// tombstone or stopped trusting its cached answers, so the deletions that follow the tombstone are not undone by
    /// an event that was let through just before it.
    /// </summary>
    public static readonly TimeSpan Settle = PollInterval + TimeSpan.FromSeconds(1);

    // Instances' clocks differ; each poll reads back this far before the previous one began.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a row stays in <see cref="RecentPartition"/>. No poll reads back further than
    /// <c>ClockSkewAllowance</c>, and the tombstone row itself is kept for good, so older rows only cost storage (and,
    /// on Azurite, every poll's scan). Each new tombstone removes the rows past this age.
    /// </summary>
    public static readonly TimeSpan RecentKeptFor = TimeSpan.FromHours(1);

    private readonly TableClient _table = storage.Table(StorageNames.SuppressionTable);

    // Tombstones are never lifted, so a positive answer can be remembered for the life of the process.
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    // "Not erased" answers, trusted only while the polls of the recent partition are current (see PollInterval).
    private BoundedCache<string, bool> _notTombstoned = NewNegativeCache();
    private readonly object _pollGate = new();
    private Task? _poll;
    private long _lastPollStartedAt = long.MinValue / 2;
    private DateTimeOffset _pollFrom = DateTimeOffset.UtcNow - ClockSkewAllowance;

    public async Task TombstoneAsync(string contactKey, string requestId, CancellationToken cancellationToken)
    {
        var filedAt = DateTimeOffset.UtcNow;
        await AddOnceAsync(new TableEntity(RecentPartition, RecentRowKey(filedAt, contactKey)) { ["ContactKey"] = contactKey }, cancellationToken);
        await AddOnceAsync(new TableEntity(contactKey, TombstoneRow) { ["RequestId"] = requestId, ["At"] = time.GetUtcNow() }, cancellationToken);
        _known[contactKey] = true;
        await Task.WhenAll(Task.Delay(Settle, cancellationToken), PruneRecentAsync(filedAt - RecentKeptFor, cancellationToken));
    }

    private async Task PruneRecentAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RecentPartition} and RowKey lt {RecentRowKey(before, "")}");
        var deletes = new List<TableTransactionAction>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(RecentPartition, row.RowKey), ETag.All));
            if (deletes.Count == PartitionGroupCommit.MaxBatch)
            {
                await DeleteRecentAsync(deletes, cancellationToken);
                deletes.Clear();
            }
        }

        if (deletes.Count > 0)
        {
            await DeleteRecentAsync(deletes, cancellationToken);
        }
    }

    private async Task DeleteRecentAsync(IReadOnlyList<TableTransactionAction> deletes, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(deletes, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Another erasure pruned some of them meanwhile; the next tombstone takes what is left.
        }
    }

    public async Task<bool> IsTombstonedAsync(string contactKey, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(contactKey))
        {
            return true;
        }

        var current = await RecentTombstonesPolledAsync();
        if (current && _notTombstoned.TryGet(contactKey, out _))
        {
            // The poll may have just learned of it.
            return _known.ContainsKey(contactKey);
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(contactKey, TombstoneRow, ["RequestId"], cancellationToken);
        if (row.HasValue)
        {
            _known[contactKey] = true;
            return true;
        }

        if (current)
        {
            _notTombstoned.Set(contactKey, true);
        }

        return false;
    }

    private static string RecentRowKey(DateTimeOffset at, string contactKey) =>
        at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + contactKey;

    private static BoundedCache<string, bool> NewNegativeCache() => new(100_000, TimeSpan.FromMinutes(30), TimeProvider.System);

    /// <summary>
    /// True when a poll that began less than <see cref="PollInterval"/> ago succeeded (starting one if none did).
    /// Time here is the process's monotonic clock, not the injected one: freshness is a fact about this machine.
    /// </summary>
    private async Task<bool> RecentTombstonesPolledAsync()
    {
        if (Environment.TickCount64 - Volatile.Read(ref _lastPollStartedAt) < PollInterval.TotalMilliseconds)
        {
            return true;
        }

        Task poll;
        lock (_pollGate)
        {
            if (_poll is null || _poll.IsCompleted)
            {
                _poll = PollAsync();
            }

            poll = _poll;
        }

        try
        {
            await poll;
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or TimeoutException or System.Net.Http.HttpRequestException)
        {
            // Not knowing what was erased lately, no cached "not erased" answer may be used: each check reads.
            _notTombstoned = NewNegativeCache();
            return false;
        }
    }

    private async Task PollAsync()
    {
        var startedAt = Environment.TickCount64;
        var startedWall = DateTimeOffset.UtcNow;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RecentPartition} and RowKey ge {RecentRowKey(_pollFrom, "")}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["ContactKey"], cancellationToken: timeout.Token))
        {
            if (row.GetString("ContactKey") is { } erased)
            {
                _known[erased] = true;
                _notTombstoned.Remove(erased);
            }
        }

        _pollFrom = startedWall - ClockSkewAllowance;
        Volatile.Write(ref _lastPollStartedAt, startedAt);
    }

    /// <summary>Suppresses an identifier by its alias hash (a keyed hash), before the alias itself is deleted.</summary>
    public Task SuppressAliasAsync(string aliasHash, string requestId, CancellationToken cancellationToken) =>
        AddOnceAsync(new TableEntity(aliasHash, SuppressedRow) { ["RequestId"] = requestId, ["At"] = time.GetUtcNow() }, cancellationToken);

    public async Task<bool> IsAliasSuppressedAsync(string aliasHash, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(aliasHash, SuppressedRow, ["RequestId"], cancellationToken)).HasValue;

    public Task WriteReceiptAsync(string contactKey, string requestId, string reportJson, CancellationToken cancellationToken) =>
        AddOnceAsync(new TableEntity(contactKey, ReceiptRow) { ["RequestId"] = requestId, ["At"] = time.GetUtcNow(), ["Report"] = reportJson }, cancellationToken);

    private async Task AddOnceAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Written before (a repeated effect): the first time stands.
        }
    }
}
