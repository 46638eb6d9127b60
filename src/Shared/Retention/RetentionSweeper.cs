using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Retention;

/// <summary>
/// Runs one sweep under the lease: for each class, reads the index day tables up to the cutoff (see
/// <see cref="RetentionIndex"/>) page by page, deletes the targets in entity-group batches, and drops each wholly due
/// day table in one request once its targets are gone. Pages overlap (the next is read while earlier ones are deleted,
/// with a bounded number of batches in flight) but complete in order, and every few pages (or seconds) the sweep saves a
/// checkpoint (day table + continuation) and renews its lease, so a sweep that died resumes after the last checkpoint.
/// </summary>
public sealed class RetentionSweeper(
    StorageClients storage,
    RetentionSweepStore store,
    IOptions<RetentionOptions> options,
    ISweepAudit audit,
    TimeProvider time,
    RetentionIndex? index = null,
    IInactiveContactEraser? eraser = null)
{
    private const int PageSize = 1000;
    private const int BatchSize = 100;
    private const int BatchesInFlight = 8;
    private const int PagesInFlight = 6;
    private const int PagesPerCheckpoint = 5;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(20);
    private const char CheckpointSeparator = '\n';
    private static readonly string[] IndexColumns = ["PartitionKey", "RowKey", RetentionIndex.TableColumn, RetentionIndex.PartitionColumn, RetentionIndex.RowColumn];

    private readonly RetentionIndex _index = index ?? new RetentionIndex(storage, time);

    /// <summary>Creates a sweep in state running, with every class at zero; the caller then has it run.</summary>
    public RetentionSweep NewSweep(string sweepId) => new(
        sweepId,
        RetentionSweep.Running,
        time.GetUtcNow(),
        null,
        RetentionClasses.Swept.Select(s => new SweepClassProgress(s.Name, Iso8601Duration.Format(s.Read(options.Value)), 0, false)).ToList());

    /// <returns>False when another sweep holds the lease (try again later); true when this sweep is finished.</returns>
    public async Task<bool> RunAsync(string sweepId, CancellationToken cancellationToken)
    {
        var sweep = await store.GetAsync(sweepId, cancellationToken);
        if (sweep is null || sweep.Status != RetentionSweep.Running)
        {
            return true;
        }

        var lease = await store.TryAcquireAsync(sweepId, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        var classes = sweep.Classes.ToList();
        var dayTables = await _index.AllDayTablesAsync(cancellationToken);
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i].Done)
            {
                continue;
            }

            var setting = RetentionClasses.Swept.Single(s => s.Name == classes[i].Name);
            var retention = setting.Read(options.Value);
            var cutoff = time.GetUtcNow() - retention;
            var cutoffDay = DateOnly.FromDateTime(cutoff.UtcDateTime);
            classes[i] = classes[i] with { Retention = Iso8601Duration.Format(retention) };
            var position = i;
            var due = RetentionIndex.DayTablesOf(dayTables, setting.Name).Where(t => t.Day <= cutoffDay).ToList();
            foreach (var (table, day) in due)
            {
                // Days before the cutoff day are wholly due: no filter, and the table goes at the end. The cutoff day's
                // rows are due up to the cutoff's time; their index rows go one by one, the table stays. (Azurite rejects a
                // filter on From alone; the PartitionKey condition is true of every shard.)
                var whole = day < cutoffDay;
                var resumeFrom = ResumeToken(classes[i].Checkpoint, table);
                if (resumeFrom != "")
                {
                    var filter = whole ? null : TableClient.CreateQueryFilter($"PartitionKey ge {"0"} and From le {cutoff}");
                    var unsaved = 0;
                    var lastSaved = time.GetTimestamp();
                    await SweepTableAsync(setting.Name, cutoff, storage.Table(table), filter, !whole, resumeFrom, async (deleted, next) =>
                    {
                        classes[position] = classes[position] with
                        {
                            Deleted = classes[position].Deleted + deleted,
                            Checkpoint = table + CheckpointSeparator + (next ?? ""),
                        };

                        // A checkpoint every few pages (or seconds), not every page: redoing a few thousand idempotent
                        // deletes after a crash costs less than two writes per page on every sweep. The lease is
                        // renewed with each, far inside its two minutes.
                        if (++unsaved >= PagesPerCheckpoint || next is null || time.GetElapsedTime(lastSaved) >= CheckpointInterval)
                        {
                            await store.RenewAsync(lease, cancellationToken);
                            await store.SaveAsync(sweep with { Classes = classes }, cancellationToken);
                            unsaved = 0;
                            lastSaved = time.GetTimestamp();
                        }
                    }, cancellationToken);
                }

                if (whole)
                {
                    await DropAsync(storage.Table(table), cancellationToken);
                }

                classes[i] = classes[i] with { Checkpoint = null };
            }

            classes[i] = classes[i] with { Done = true, Checkpoint = null };
            if (due.Count > 0)
            {
                // A class with nothing due is not saved on its own: redoing it after a crash costs nothing.
                await store.SaveAsync(sweep with { Classes = classes }, cancellationToken);
            }
        }

        var finished = sweep with { Classes = classes, Status = RetentionSweep.Completed, FinishedAt = time.GetUtcNow() };
        await audit.RecordAsync(finished, cancellationToken);
        await store.SaveAsync(finished, cancellationToken);
        await store.ReleaseAsync(lease, cancellationToken);
        return true;
    }

    /// <summary>Gives up on a sweep that keeps failing, so the API says so; the next sweep picks up what it left.</summary>
    public async Task MarkFailedAsync(string sweepId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(sweepId, cancellationToken) is { Status: RetentionSweep.Running } sweep)
        {
            var failed = sweep with { Status = RetentionSweep.Failed, FinishedAt = time.GetUtcNow() };
            await audit.RecordAsync(failed, cancellationToken);
            await store.SaveAsync(failed, cancellationToken);
        }
    }

    // Null: start the table from its beginning; "": every page of it was finished; otherwise the continuation.
    private static string? ResumeToken(string? checkpoint, string table)
    {
        if (checkpoint is null || !checkpoint.StartsWith(table + CheckpointSeparator, StringComparison.Ordinal))
        {
            return null;
        }

        return checkpoint[(table.Length + 1)..];
    }

    private async Task SweepTableAsync(
        string className,
        DateTimeOffset cutoff,
        TableClient index,
        string? filter,
        bool deleteIndexRows,
        string? continuation,
        Func<long, string?, Task> pageDone,
        CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(BatchesInFlight);
        var inFlight = new Queue<(Task<long> Work, string? Next)>();
        try
        {
            // Only the columns the deletes need: the index rows' own keys and their targets' (less to read and to send).
            var pages = index.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, select: IndexColumns, cancellationToken: cancellationToken).AsPages(continuation);
            await foreach (var page in pages)
            {
                inFlight.Enqueue((DeletePageAsync(className, cutoff, index, page.Values, deleteIndexRows, slots, cancellationToken), page.ContinuationToken));
                while (inFlight.Count >= PagesInFlight)
                {
                    var (work, next) = inFlight.Dequeue();
                    await pageDone(await work, next);
                }
            }

            while (inFlight.Count > 0)
            {
                var (work, next) = inFlight.Dequeue();
                await pageDone(await work, next);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && inFlight.Count == 0)
        {
            // The day table was dropped meanwhile (a sweep that died after dropping it): nothing is left to do.
        }
        finally
        {
            // A page that failed leaves later pages running: let them finish before the error goes up, so nothing of
            // this sweep still writes when the lease is given up. Their outcome is redone from the checkpoint.
            foreach (var (work, _) in inFlight)
            {
                await work.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task<long> DeletePageAsync(
        string className, DateTimeOffset cutoff, TableClient index, IReadOnlyList<TableEntity> entries, bool deleteIndexRows, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return 0;
        }

        var targets = entries
            .GroupBy(e => (Table: e.GetString(RetentionIndex.TableColumn) ?? "", Partition: e.GetString(RetentionIndex.PartitionColumn) ?? ""))
            .SelectMany(g => g.Chunk(BatchSize).Select(chunk => (g.Key.Table, g.Key.Partition, Rows: chunk.Select(e => e.GetString(RetentionIndex.RowColumn) ?? "").ToList())));
        var counts = await Task.WhenAll(targets.Select(group =>
            InSlotAsync(slots, () => DeleteTargetsAsync(className, cutoff, group.Table, group.Partition, group.Rows, cancellationToken), cancellationToken)));

        if (deleteIndexRows)
        {
            // Only after the targets are gone: an index row deleted first would leave its target for ever.
            await Task.WhenAll(entries.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(BatchSize)).Select(batch =>
                InSlotAsync(slots, () => DeleteBatchAsync(index, batch[0].PartitionKey, batch.Select(e => e.RowKey).ToList(), cancellationToken), cancellationToken)));
        }

        return counts.Sum(c => (long)c);
    }

    private static async Task<int> InSlotAsync(SemaphoreSlim slots, Func<Task<int>> work, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task DropAsync(TableClient table, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private async Task<int> DeleteTargetsAsync(
        string className, DateTimeOffset cutoff, string table, string partition, List<string> rowKeys, CancellationToken cancellationToken)
    {
        if (className == RetentionClasses.InactiveContacts)
        {
            return await EraseIfInactiveAsync(partition, cutoff, cancellationToken) ? 1 : 0;
        }

        if (table.StartsWith(RetentionIndex.BlobTargetPrefix, StringComparison.Ordinal))
        {
            var container = storage.Container(table[RetentionIndex.BlobTargetPrefix.Length..]);
            var count = 0;
            foreach (var name in rowKeys)
            {
                if ((await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value)
                {
                    count++;
                }
            }

            return count;
        }

        var target = storage.Table(table);
        if (className == RetentionClasses.Workflows)
        {
            rowKeys = await FinishedOnlyAsync(target, partition, rowKeys, cancellationToken);
        }

        return await DeleteBatchAsync(target, partition, rowKeys, cancellationToken);
    }

    // The index entry says the contact was active on its day; the activity row says when it was last active. Active
    // since: a later day's entry will bring it up again. Gone: erased already. The request id names the inactivity (its
    // last activity), so sweeps that meet the same inactive contact again start one erasure.
    private async Task<bool> EraseIfInactiveAsync(string contactKey, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var row = await storage.Table(StorageNames.ContactsTable)
            .GetEntityIfExistsAsync<TableEntity>(contactKey, ContactActivity.RowKey, [ContactActivity.AtColumn], cancellationToken);
        if (eraser is null || !row.HasValue || row.Value!.GetDateTimeOffset(ContactActivity.AtColumn) is not { } last || last > cutoff)
        {
            return false;
        }

        var requestId = string.Create(CultureInfo.InvariantCulture, $"retention-{last.UtcDateTime:yyyyMMddHHmmss}-{contactKey}");
        return await eraser.EraseAsync(contactKey, requestId, cancellationToken);
    }

    // A workflow's index row is written when it finishes; if the same instance was started again since, it is running
    // and still needed, so it stays (its next finish writes a new index row).
    private static async Task<List<string>> FinishedOnlyAsync(TableClient table, string partition, List<string> rowKeys, CancellationToken cancellationToken)
    {
        var finished = new List<string>();
        foreach (var rowKey in rowKeys)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, [WorkflowRegistry.StatusColumn], cancellationToken);
            if (row.HasValue && row.Value!.GetString(WorkflowRegistry.StatusColumn) is { } status && status != WorkflowStatus.Running)
            {
                finished.Add(rowKey);
            }
        }

        return finished;
    }

    /// <summary>Deletes rows of one partition in one entity-group transaction; rows already gone are not an error.</summary>
    private static async Task<int> DeleteBatchAsync(TableClient table, string partition, List<string> rowKeys, CancellationToken cancellationToken)
    {
        if (rowKeys.Count == 0)
        {
            return 0;
        }

        try
        {
            await table.SubmitTransactionAsync(
                rowKeys.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, rk), ETag.All)),
                cancellationToken);
            return rowKeys.Count;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // A row of the batch is gone already (erased, resolved, or deleted by a sweep that died before its index
            // rows went): the batch is all-or-nothing, so fall back to one delete each.
            var count = 0;
            foreach (var rowKey in rowKeys)
            {
                try
                {
                    await table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
                    count++;
                }
                catch (RequestFailedException notFound) when (notFound.Status == 404)
                {
                }
            }

            return count;
        }
    }
}
