using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Retention;

/// <summary>
/// The RetentionSweeps table: one row per sweep (its status and per-class progress, which is also its checkpoint), and
/// one lease row that at most one sweep holds at a time. The lease is an ETag-guarded row with an expiry, so a sweep
/// that dies gives it up by itself and the next attempt of the same sweep takes it over and resumes.
/// </summary>
public sealed class RetentionSweepStore(StorageClients storage, TimeProvider time)
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);
    private const string SweepPartition = "sweep";
    private const string LeasePartition = "lease";
    private const string LeaseRow = "retention";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TableClient _table = storage.Table(StorageNames.RetentionSweepsTable);

    public async Task CreateAsync(RetentionSweep sweep, CancellationToken cancellationToken) =>
        await _table.AddEntityAsync(ToEntity(sweep), cancellationToken);

    public Task SaveAsync(RetentionSweep sweep, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(ToEntity(sweep), TableUpdateMode.Replace, cancellationToken);

    public async Task<RetentionSweep?> GetAsync(string sweepId, CancellationToken cancellationToken)
    {
        if (!IsKeySafe(sweepId))
        {
            return null;
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(SweepPartition, sweepId, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The sweep holding a live lease, if any: a second request joins it instead of starting another.</summary>
    public async Task<string?> LiveHolderAsync(CancellationToken cancellationToken)
    {
        var lease = await _table.GetEntityIfExistsAsync<TableEntity>(LeasePartition, LeaseRow, cancellationToken: cancellationToken);
        return lease.HasValue && lease.Value!.GetDateTimeOffset("Until") > time.GetUtcNow() ? lease.Value.GetString("Holder") : null;
    }

    /// <summary>Takes the lease for <paramref name="sweepId"/>; null while another sweep holds a live one.</summary>
    public async Task<SweepLease?> TryAcquireAsync(string sweepId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(LeasePartition, LeaseRow, cancellationToken: cancellationToken);
        var entity = new TableEntity(LeasePartition, LeaseRow) { ["Holder"] = sweepId, ["Until"] = now + LeaseDuration };
        try
        {
            if (!existing.HasValue)
            {
                var added = await _table.AddEntityAsync(entity, cancellationToken);
                return new SweepLease(sweepId, added.Headers.ETag!.Value);
            }

            var row = existing.Value!;
            // Even the same sweep waits for its own expired lease: a queue message that reappears while its first run is
            // still alive must not start a second run of it.
            if (row.GetDateTimeOffset("Until") > now)
            {
                return null;
            }

            var updated = await _table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return new SweepLease(sweepId, updated.Headers.ETag!.Value);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Extends the lease; throws <see cref="SweepLeaseLostException"/> when someone else took it meanwhile.</summary>
    public async Task RenewAsync(SweepLease lease, CancellationToken cancellationToken)
    {
        try
        {
            var entity = new TableEntity(LeasePartition, LeaseRow) { ["Holder"] = lease.SweepId, ["Until"] = time.GetUtcNow() + LeaseDuration };
            var response = await _table.UpdateEntityAsync(entity, lease.ETag, TableUpdateMode.Replace, cancellationToken);
            lease.ETag = response.Headers.ETag!.Value;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw new SweepLeaseLostException();
        }
    }

    public async Task ReleaseAsync(SweepLease lease, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(LeasePartition, LeaseRow, lease.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Expired and taken over, or gone: nothing of ours to release.
        }
    }

    public static bool IsKeySafe(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static TableEntity ToEntity(RetentionSweep sweep) => new(SweepPartition, sweep.SweepId)
    {
        ["Status"] = sweep.Status,
        ["StartedAt"] = sweep.StartedAt,
        ["FinishedAt"] = sweep.FinishedAt,
        ["Classes"] = JsonSerializer.Serialize(sweep.Classes, Json),
    };

    private static RetentionSweep FromEntity(TableEntity row) => new(
        row.RowKey,
        row.GetString("Status") ?? RetentionSweep.Running,
        row.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("FinishedAt"),
        JsonSerializer.Deserialize<List<SweepClassProgress>>(row.GetString("Classes") ?? "[]", Json) ?? []);
}
