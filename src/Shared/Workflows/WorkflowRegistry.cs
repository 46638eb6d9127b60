using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Workflows;

/// <summary>
/// Which workflow instances exist for a partition (a contact, a campaign): rows of the Workflows table under the
/// partition key, one per instance, with the columns both hosts write. LocalHost's driver keeps its whole state in
/// that row; in Azure the Durable dispatcher writes it beside the task hub. Erasure and retention enumerate here,
/// so a contact's instances are found without scanning the task hub.
/// </summary>
public sealed class WorkflowRegistry(StorageClients storage, RetentionIndex? retention = null)
{
    public const string KindColumn = "Kind";
    public const string InstanceIdColumn = "InstanceId";
    public const string StatusColumn = "Status";
    public const string FinishedAtColumn = "FinishedAt";

    private readonly TableClient _table = storage.Table(StorageNames.WorkflowsTable);

    public async Task<IReadOnlyList<WorkflowRecord>> ListAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var found = new List<WorkflowRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == partitionKey, select: [KindColumn, InstanceIdColumn, StatusColumn, FinishedAtColumn], cancellationToken: cancellationToken))
        {
            if (row.GetString(KindColumn) is { } kind && row.GetString(InstanceIdColumn) is { } id)
            {
                found.Add(new WorkflowRecord(
                    new WorkflowInstance(kind, partitionKey, id), row.GetString(StatusColumn) ?? WorkflowStatus.Running, row.GetDateTimeOffset(FinishedAtColumn)));
            }
        }

        return found;
    }

    /// <summary>Records (or updates) an instance's status; used where the state itself lives elsewhere (Durable).</summary>
    public Task RecordAsync(WorkflowInstance instance, string status, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = new TableEntity(instance.PartitionKey, instance.Id)
        {
            [KindColumn] = instance.Kind,
            [InstanceIdColumn] = instance.InstanceId,
            [StatusColumn] = status,
            ["UpdatedAt"] = at,
        };
        if (status != WorkflowStatus.Running)
        {
            row[FinishedAtColumn] = at;
        }

        return RecordRowAsync(row, status, at, cancellationToken);
    }

    /// <summary>Notes a finished instance for the retention sweep (which still skips it if it runs again by then).</summary>
    public Task NoteFinishedAsync(WorkflowInstance instance, DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        retention?.NoteAsync(RetentionClasses.Workflows, StorageNames.WorkflowsTable, instance.PartitionKey, instance.Id, finishedAt, cancellationToken)
        ?? Task.CompletedTask;

    private async Task RecordRowAsync(TableEntity row, string status, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (status != WorkflowStatus.Running)
        {
            await NoteFinishedAsync(new WorkflowInstance(row.GetString(KindColumn)!, row.PartitionKey, row.GetString(InstanceIdColumn)!), at, cancellationToken);
        }

        await _table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task RemoveAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(instance.PartitionKey, instance.Id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone: purging twice is fine.
        }
    }
}
