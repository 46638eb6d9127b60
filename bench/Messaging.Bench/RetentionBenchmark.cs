using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Bench;

/// <summary>
/// Retention sweep throughput (docs/performance.md): Messages rows kept and due in one table with their index rows, the
/// real sweeper against a floor that batch-deletes the same number of rows in the same partition layout, same Azurite.
/// </summary>
internal static class RetentionBenchmark
{
    private const int Parallelism = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var storageConnection = Arg(args, "--storage") ?? throw new ArgumentException("--storage is required");
        var kept = int.Parse(Arg(args, "--kept") ?? "100000", System.Globalization.CultureInfo.InvariantCulture);
        var due = int.Parse(Arg(args, "--due") ?? "20000", System.Globalization.CultureInfo.InvariantCulture);
        const int perContact = 100;
        var options = new StorageOptions { ConnectionString = storageConnection, NamePrefix = "b" + Guid.NewGuid().ToString("N")[..8] };
        var storage = new StorageClients(Options.Create(options));
        await storage.EnsureCreatedAsync(CancellationToken.None);
        // The floor deletes from the Messages table itself (its own partitions, no index rows): Azurite's cost per delete
        // grows with the table's size, so a floor on a small table of its own would not be comparable.
        var floorTable = storage.Table(StorageNames.MessagesTable);
        var now = DateTimeOffset.UtcNow;

        Console.WriteLine($"seeding {kept} kept + {due} due Messages rows (and their index rows), {due} floor rows in the same table ...");
        var seed = Stopwatch.StartNew();
        await SeedAsync(storage, "kept", kept, perContact, now - TimeSpan.FromDays(1));
        await SeedAsync(storage, "due", due, perContact, now - TimeSpan.FromDays(200));
        await InsertAsync(floorTable, Enumerable.Range(0, due).Select(i => new TableEntity($"floor-{i / perContact:0000}", $"m-{i % perContact:000}") { ["Direction"] = "in" }));
        Console.WriteLine($"seeded in {seed.Elapsed.TotalSeconds:0.0} s");

        var floor = Stopwatch.StartNew();
        var floorRows = new List<(string, string)>();
        for (var i = 0; i < due; i++)
        {
            floorRows.Add(($"floor-{i / perContact:0000}", $"m-{i % perContact:000}"));
        }

        await Parallel.ForEachAsync(
            floorRows.GroupBy(r => r.Item1).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (batch, token) => await floorTable.SubmitTransactionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.Item1, r.Item2), ETag.All)), token));
        floor.Stop();

        var time = TimeProvider.System;
        var store = new RetentionSweepStore(storage, time);
        var sweeper = new RetentionSweeper(storage, store, Options.Create(new RetentionOptions()), new NoAudit(), time);
        var sweep = sweeper.NewSweep("bench" + Guid.NewGuid().ToString("N")[..8]);
        await store.CreateAsync(sweep, CancellationToken.None);
        var run = Stopwatch.StartNew();
        await sweeper.RunAsync(sweep.SweepId, CancellationToken.None);
        run.Stop();
        var result = await store.GetAsync(sweep.SweepId, CancellationToken.None);
        var deleted = result!.Classes.Single(c => c.Name == "Messages").Deleted;
        var left = 0;
        await foreach (var _ in storage.Table(StorageNames.MessagesTable).QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            left++;
        }

        var indexTables = await new RetentionIndex(storage).DayTablesAsync(RetentionClasses.Messages, CancellationToken.None);
        var floorRate = due / floor.Elapsed.TotalSeconds;
        var sweepRate = deleted / run.Elapsed.TotalSeconds;
        Console.WriteLine($"floor: {due} rows in {floor.Elapsed.TotalSeconds:0.00} s = {floorRate:0} rows/s (entity-group batch deletes, {Parallelism} in parallel)");
        Console.WriteLine($"sweep: {deleted} rows in {run.Elapsed.TotalSeconds:0.00} s = {sweepRate:0} rows/s (targets, index day table dropped, same batches in flight)");
        Console.WriteLine($"sweep / floor = {sweepRate / floorRate:P0}; rows left in Messages: {left} (expected {kept}); index day tables left: {indexTables.Count} (expected 1, the kept day)");
        return left == kept && deleted == due && indexTables.Count == 1 ? 0 : 1;
    }

    private static async Task SeedAsync(StorageClients storage, string group, int count, int perContact, DateTimeOffset from)
    {
        var rows = Enumerable.Range(0, count).Select(i => (Partition: $"{group}-{i / perContact:0000}", Row: $"m-{i % perContact:000}")).ToList();
        var index = storage.Table(RetentionIndex.TableOf(RetentionClasses.Messages, from));
        await index.CreateIfNotExistsAsync();
        await InsertAsync(index, rows.Select(r => RetentionIndex.Entry(StorageNames.MessagesTable, r.Partition, r.Row, from)));
        await InsertAsync(storage.Table(StorageNames.MessagesTable), rows.Select(r => new TableEntity(r.Partition, r.Row) { ["Direction"] = "in" }));
    }

    private static Task InsertAsync(TableClient table, IEnumerable<TableEntity> entities) =>
        Parallel.ForEachAsync(
            entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (batch, token) => await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token));

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    // The audit append is one row per sweep; the benchmark measures deletes.
    private sealed class NoAudit : ISweepAudit
    {
        public Task RecordAsync(RetentionSweep sweep, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
