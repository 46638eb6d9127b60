using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Retention;

/// <summary>
/// Runs one sweep under the lease: for each class, reads the due part of the <see cref="RetentionIndex"/> page by page,
/// deletes the targets in entity-group batches, then their index rows, and saves progress after each page. Because the
/// index loses its rows as they are handled, the index itself is the checkpoint: a sweep that died is simply run again.
/// </summary>
public sealed class RetentionSweeper(
    StorageClients storage,
    RetentionSweepStore store,
    IOptions<RetentionOptions> options,
    ISweepAudit audit,
    TimeProvider time)
{
    private const int PageSize = 1000;
    private const int BatchSize = 100;
    private const int Parallelism = 8;

    private readonly TableClient _index = storage.Table(StorageNames.RetentionIndexTable);

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
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i].Done)
            {
                continue;
            }

            var setting = RetentionClasses.Swept.Single(s => s.Name == classes[i].Name);
            var retention = setting.Read(options.Value);
            var cutoff = time.GetUtcNow() - retention;
            classes[i] = classes[i] with { Retention = Iso8601Duration.Format(retention) };
            await foreach (var page in DueAsync(setting.Name, cutoff, cancellationToken))
            {
                var deleted = await DeletePageAsync(setting.Name, page, cancellationToken);
                classes[i] = classes[i] with { Deleted = classes[i].Deleted + deleted };
                await store.RenewAsync(lease, cancellationToken);
                await store.SaveAsync(sweep with { Classes = classes }, cancellationToken);
            }

            classes[i] = classes[i] with { Done = true };
            await store.SaveAsync(sweep with { Classes = classes }, cancellationToken);
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

    private async IAsyncEnumerable<IReadOnlyList<TableEntity>> DueAsync(
        string className, DateTimeOffset cutoff, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Partitions of days before the cutoff day hold only due rows; the cutoff day's are filtered by their own time.
        var from = className + "-";
        var until = RetentionIndex.DayPrefix(className, cutoff) + "-~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {until} and From le {cutoff}");
        await foreach (var page in _index.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                yield return page.Values;
            }
        }
    }

    private async Task<long> DeletePageAsync(string className, IReadOnlyList<TableEntity> entries, CancellationToken cancellationToken)
    {
        long deleted = 0;
        var groups = entries
            .GroupBy(e => (Table: e.GetString(RetentionIndex.TableColumn) ?? "", Partition: e.GetString(RetentionIndex.PartitionColumn) ?? ""))
            .SelectMany(g => g.Chunk(BatchSize).Select(chunk => (g.Key.Table, g.Key.Partition, Rows: chunk)))
            .ToList();
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                var rows = group.Rows.Select(e => e.GetString(RetentionIndex.RowColumn) ?? "").ToList();
                var count = await DeleteTargetsAsync(className, group.Table, group.Partition, rows, token);
                Interlocked.Add(ref deleted, count);
            });

        // Only after the targets are gone: an index row deleted first would leave its target for ever.
        var indexBatches = entries.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(BatchSize)).ToList();
        await Parallel.ForEachAsync(
            indexBatches,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, token) => await DeleteBatchAsync(_index, batch[0].PartitionKey, batch.Select(e => e.RowKey).ToList(), token));
        return deleted;
    }

    private async Task<int> DeleteTargetsAsync(string className, string table, string partition, List<string> rowKeys, CancellationToken cancellationToken)
    {
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
