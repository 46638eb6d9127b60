using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Messaging.Shared.Storage;

/// <summary>
/// Group commit for writes that many callers make into the same table partition at the same time (an index
/// partition): each caller hands in one action and waits for it; while one request to the partition is under way,
/// the actions that arrive meanwhile queue up and go together as the next entity-group transaction. Under load a row
/// costs a fraction of a round trip; alone it costs the one request it always did. Actions on a row already in the
/// forming batch wait for the next one, so one caller's writes to a row keep their order.
/// </summary>
/// <remarks>
/// <paramref name="submit"/> writes one to <see cref="MaxBatch"/> actions of one partition: a single action as a plain
/// request, more as one transaction. When a transaction fails, its actions are retried one by one, so one bad row
/// fails only its own caller.
/// </remarks>
public sealed class PartitionGroupCommit(Func<PartitionGroupCommit.Lane, IReadOnlyList<TableTransactionAction>, CancellationToken, Task> submit)
{
    /// <summary>Azure's limit on the actions of one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    // Not a caller's token: other callers' actions ride in the same request; each caller stops waiting on its own.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Lane, Queue> _queues = new();

    /// <summary>Where actions go together: one partition of one table (by its unprefixed or full name, as the caller keeps it).</summary>
    public readonly record struct Lane(string Table, string Partition);

    public async Task WriteAsync(Lane lane, TableTransactionAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var pending = new Pending(action);
        var queue = _queues.GetOrAdd(lane, _ => new Queue());
        queue.Actions.Enqueue(pending);
        if (Interlocked.CompareExchange(ref queue.Running, 1, 0) == 0)
        {
            _ = DrainAsync(lane, queue);
        }

        await pending.Written.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync(Lane lane, Queue queue)
    {
        Pending? carried = null;
        while (true)
        {
            var batch = new List<Pending>();
            var rows = new HashSet<string>(StringComparer.Ordinal);
            if (carried is not null)
            {
                batch.Add(carried);
                rows.Add(carried.Action.Entity.RowKey);
                carried = null;
            }

            while (batch.Count < MaxBatch && queue.Actions.TryDequeue(out var next))
            {
                if (!rows.Add(next.Action.Entity.RowKey))
                {
                    // A transaction names a row once; the later action on it starts the next batch, after this one.
                    carried = next;
                    break;
                }

                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref queue.Running, 0);
                if (queue.Actions.IsEmpty || Interlocked.CompareExchange(ref queue.Running, 1, 0) != 0)
                {
                    _queues.TryRemove(KeyValuePair.Create(lane, queue));
                    return;
                }

                continue;
            }

            await WriteBatchAsync(lane, batch);
        }
    }

    private async Task WriteBatchAsync(Lane lane, List<Pending> batch)
    {
        try
        {
            await SubmitAsync(lane, [.. batch.Select(p => p.Action)]);
            batch.ForEach(p => p.Written.TrySetResult());
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                try
                {
                    await SubmitAsync(lane, [pending.Action]);
                    pending.Written.TrySetResult();
                }
                catch (Exception e)
                {
                    pending.Written.TrySetException(e);
                }
            }
        }
        catch (Exception e)
        {
            batch.ForEach(p => p.Written.TrySetException(e));
        }
    }

    private async Task SubmitAsync(Lane lane, IReadOnlyList<TableTransactionAction> actions)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        await submit(lane, actions, timeout.Token);
    }

    private sealed class Queue
    {
        public ConcurrentQueue<Pending> Actions { get; } = new();

        public int Running;
    }

    private sealed record Pending(TableTransactionAction Action)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
