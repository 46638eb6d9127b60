using System.Collections.Concurrent;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Shared.Tests.TableStorage;

public sealed class PartitionGroupCommitTests
{
    private static readonly PartitionGroupCommit.Lane Index = new("Index", "all");

    /// <summary>A store that records every request and holds the first one until released.</summary>
    private sealed class RecordingStore
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public ConcurrentQueue<(PartitionGroupCommit.Lane Lane, string[] Rows)> Requests { get; } = new();

        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<IReadOnlyList<TableTransactionAction>, bool> Fails { get; set; } = _ => false;

        public void Release() => _release.TrySetResult();

        public async Task SubmitAsync(PartitionGroupCommit.Lane lane, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
        {
            Requests.Enqueue((lane, [.. actions.Select(a => a.ActionType + ":" + a.Entity.RowKey)]));
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstStarted.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }

            if (Fails(actions))
            {
                throw new InvalidOperationException("rejected");
            }
        }
    }

    private static TableTransactionAction Upsert(string row) => new(TableTransactionActionType.UpsertReplace, new TableEntity("all", row));

    private static TableTransactionAction Delete(string row) => new(TableTransactionActionType.Delete, new TableEntity("all", row));

    [Fact]
    public async Task A_lone_write_is_one_request_of_one_action()
    {
        var store = new RecordingStore();
        store.Release();
        var commit = new PartitionGroupCommit(store.SubmitAsync);

        await commit.WriteAsync(Index, Upsert("a"), CancellationToken.None);

        Assert.Equal(["UpsertReplace:a"], Assert.Single(store.Requests).Rows);
    }

    [Fact]
    public async Task Writes_that_arrive_while_a_request_is_under_way_go_together_in_the_next_one()
    {
        var store = new RecordingStore();
        var commit = new PartitionGroupCommit(store.SubmitAsync);

        var first = commit.WriteAsync(Index, Upsert("first"), CancellationToken.None);
        await store.FirstStarted.Task;
        var later = Enumerable.Range(0, 10).Select(i => commit.WriteAsync(Index, Upsert("r" + i), CancellationToken.None)).ToList();
        Assert.All(later, t => Assert.False(t.IsCompleted));
        store.Release();
        await Task.WhenAll([first, .. later]);

        Assert.Equal(2, store.Requests.Count);
        Assert.Equal(10, store.Requests.Last().Rows.Length);
    }

    [Fact]
    public async Task A_batch_holds_at_most_one_hundred_actions()
    {
        var store = new RecordingStore();
        var commit = new PartitionGroupCommit(store.SubmitAsync);

        var first = commit.WriteAsync(Index, Upsert("first"), CancellationToken.None);
        await store.FirstStarted.Task;
        var later = Enumerable.Range(0, 250).Select(i => commit.WriteAsync(Index, Upsert("r" + i), CancellationToken.None)).ToList();
        store.Release();
        await Task.WhenAll([first, .. later]);

        Assert.Equal([1, 100, 100, 50], store.Requests.Select(r => r.Rows.Length));
    }

    [Fact]
    public async Task Two_writes_to_one_row_keep_their_order_in_separate_requests()
    {
        var store = new RecordingStore();
        var commit = new PartitionGroupCommit(store.SubmitAsync);

        var first = commit.WriteAsync(Index, Upsert("first"), CancellationToken.None);
        await store.FirstStarted.Task;
        var writes = new[]
        {
            commit.WriteAsync(Index, Upsert("x"), CancellationToken.None),
            commit.WriteAsync(Index, Upsert("y"), CancellationToken.None),
            commit.WriteAsync(Index, Delete("x"), CancellationToken.None),
            commit.WriteAsync(Index, Upsert("z"), CancellationToken.None),
        };
        store.Release();
        await Task.WhenAll([first, .. writes]);

        var requests = store.Requests.Skip(1).Select(r => r.Rows).ToList();
        Assert.Equal(["UpsertReplace:x", "UpsertReplace:y"], requests[0]);
        Assert.Equal(["Delete:x", "UpsertReplace:z"], requests[1]);
    }

    [Fact]
    public async Task A_rejected_batch_is_retried_row_by_row_and_fails_only_the_caller_of_the_bad_row()
    {
        var store = new RecordingStore { Fails = actions => actions.Any(a => a.Entity.RowKey == "bad") };
        var commit = new PartitionGroupCommit(store.SubmitAsync);

        var first = commit.WriteAsync(Index, Upsert("first"), CancellationToken.None);
        await store.FirstStarted.Task;
        var good = new[] { commit.WriteAsync(Index, Upsert("a"), CancellationToken.None), commit.WriteAsync(Index, Upsert("b"), CancellationToken.None) };
        var bad = commit.WriteAsync(Index, Upsert("bad"), CancellationToken.None);
        store.Release();

        await Task.WhenAll([first, .. good]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal(3, store.Requests.Count(r => r.Rows.Length == 1 && r.Rows[0] != "UpsertReplace:first"));
    }

    [Fact]
    public async Task Different_partitions_never_share_a_request()
    {
        var store = new RecordingStore();
        var commit = new PartitionGroupCommit(store.SubmitAsync);
        var other = new PartitionGroupCommit.Lane("Index", "other");

        var first = commit.WriteAsync(Index, Upsert("first"), CancellationToken.None);
        await store.FirstStarted.Task;
        var writes = new[]
        {
            commit.WriteAsync(Index, Upsert("a"), CancellationToken.None),
            commit.WriteAsync(other, Upsert("b"), CancellationToken.None),
            commit.WriteAsync(Index, Upsert("c"), CancellationToken.None),
        };
        await writes[1];
        store.Release();
        await Task.WhenAll([first, .. writes]);

        Assert.All(store.Requests, r => Assert.True(r.Lane == Index || r.Rows.SequenceEqual(["UpsertReplace:b"])));
        Assert.Equal(["UpsertReplace:a", "UpsertReplace:c"], store.Requests.Single(r => r.Lane == Index && r.Rows.Length == 2).Rows);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_stop_the_others_write()
    {
        var store = new RecordingStore();
        var commit = new PartitionGroupCommit(store.SubmitAsync);
        using var impatient = new CancellationTokenSource();

        var first = commit.WriteAsync(Index, Upsert("first"), CancellationToken.None);
        await store.FirstStarted.Task;
        var gaveUp = commit.WriteAsync(Index, Upsert("a"), impatient.Token);
        var waits = commit.WriteAsync(Index, Upsert("b"), CancellationToken.None);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        store.Release();
        await Task.WhenAll(first, waits);

        Assert.Equal(["UpsertReplace:a", "UpsertReplace:b"], store.Requests.Last().Rows);
    }
}
