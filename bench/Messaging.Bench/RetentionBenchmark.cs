using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Messages;
using Messaging.Shared.Retention;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Bench;

/// <summary>
/// Retention sweep throughput (docs/performance.md): Messages rows kept and due with their index rows, each partition (a
/// contact) in its shard table as the product writes it (<see cref="MessageTables"/>), the real sweeper against a floor
/// that batch-deletes the same number of rows in the same partition layout, in the same shard tables, same Azurite. The due rows are spread over several days, and floor and sweep take turns day by day (floor, sweep,
/// floor, sweep, ...), each sweep run at the time when exactly one more day is due: a change of load on a shared machine
/// then falls on both alike instead of on whichever ran second.
/// </summary>
internal static class RetentionBenchmark
{
    private const int Parallelism = 8;
    private const int PerContact = 100;
    private const int WarmUpRows = 2000;
    private static readonly TimeSpan Retention = new RetentionOptions().Messages;

    public static async Task<int> RunAsync(string[] args)
    {
        var storageConnection = Arg(args, "--storage") ?? throw new ArgumentException("--storage is required");
        var kept = int.Parse(Arg(args, "--kept") ?? "100000", CultureInfo.InvariantCulture);
        var due = int.Parse(Arg(args, "--due") ?? "20000", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Arg(args, "--rounds") ?? "2", CultureInfo.InvariantCulture);
        if (due % (rounds * PerContact) != 0)
        {
            throw new ArgumentException($"--due must be a multiple of --rounds × {PerContact}");
        }

        var options = new StorageOptions { ConnectionString = storageConnection, NamePrefix = "b" + Guid.NewGuid().ToString("N")[..8] };
        var storage = new StorageClients(Options.Create(options));
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var perRound = due / rounds;
        // Round r's rows started counting on day r, oldest first; round r's sweep runs when days 0..r are past retention.
        var firstDay = now.UtcDateTime.Date - Retention - TimeSpan.FromDays(rounds + 10);
        DateTimeOffset Day(int round) => new(firstDay.AddDays(round).AddHours(12), TimeSpan.Zero);

        Console.WriteLine($"seeding {kept} kept + {due} due Messages rows (and their index rows) over {rounds} days, {due} floor rows in the same shard tables ...");
        var seed = Stopwatch.StartNew();
        await SeedAsync(storage, "kept", 0, kept, now - TimeSpan.FromDays(1));
        Console.WriteLine($"  kept rows seeded after {seed.Elapsed.TotalSeconds:0} s");
        for (var r = 0; r < rounds; r++)
        {
            await SeedAsync(storage, $"due{r}", 0, perRound, Day(r));
        }

        // An untimed warm-up round, the day before round 0, for both floor and sweep: the first sweep in a process pays
        // for JIT and new connections, a fixed cost that weighs on a round of 10,000 rows but is not the rate rows go at.
        await SeedAsync(storage, "warm", 0, WarmUpRows, Day(-1));
        await InsertAsync(storage, Enumerable.Range(0, WarmUpRows).Select(i => new TableEntity($"warmfloor-{i / PerContact:0000}", $"m-{i % PerContact:000}") { ["Direction"] = "in" }));

        await InsertAsync(storage, Enumerable.Range(0, due).Select(i => new TableEntity(FloorPartition(i), $"m-{i % PerContact:000}") { ["Direction"] = "in" }));
        Console.WriteLine($"seeded in {seed.Elapsed.TotalSeconds:0.0} s");

        var warmFloor = Stopwatch.StartNew();
        await DeleteFloorAsync(storage, Enumerable.Range(0, WarmUpRows).Select(i => ($"warmfloor-{i / PerContact:0000}", $"m-{i % PerContact:000}")));
        warmFloor.Stop();
        var warmSweep = Stopwatch.StartNew();
        var warmDeleted = await SweepAsync(storage, new DateTimeOffset(Day(-1).UtcDateTime.Date.AddDays(1), TimeSpan.Zero) + Retention + TimeSpan.FromHours(1));
        warmSweep.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up (not counted): floor {WarmUpRows / warmFloor.Elapsed.TotalSeconds:0} rows/s, sweep {warmDeleted / warmSweep.Elapsed.TotalSeconds:0} rows/s ({warmDeleted} rows)"));

        var floor = TimeSpan.Zero;
        var sweep = TimeSpan.Zero;
        long deleted = 0;
        for (var r = 0; r < rounds; r++)
        {
            var floorRound = Stopwatch.StartNew();
            await DeleteFloorAsync(storage, Enumerable.Range(r * perRound, perRound).Select(i => (FloorPartition(i), $"m-{i % PerContact:000}")));
            floorRound.Stop();
            floor += floorRound.Elapsed;

            // The sweep's clock: the day after round r's day is exactly as old as the retention, so days 0..r are due.
            var clock = new DateTimeOffset(Day(r).UtcDateTime.Date.AddDays(1), TimeSpan.Zero) + Retention + TimeSpan.FromHours(1);
            var sweepRound = Stopwatch.StartNew();
            var roundDeleted = await SweepAsync(storage, clock);
            sweepRound.Stop();
            sweep += sweepRound.Elapsed;
            deleted += roundDeleted;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {r + 1}/{rounds}: floor {perRound / floorRound.Elapsed.TotalSeconds:0} rows/s, sweep {roundDeleted / sweepRound.Elapsed.TotalSeconds:0} rows/s ({roundDeleted} rows)"));
        }

        var left = 0;
        foreach (var table in MessageTables.All)
        {
            await foreach (var _ in storage.Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                left++;
            }
        }

        var indexTables = await new RetentionIndex(storage).DayTablesAsync(RetentionClasses.Messages, CancellationToken.None);
        var floorRate = due / floor.TotalSeconds;
        var sweepRate = deleted / sweep.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"floor: {due} rows in {floor.TotalSeconds:0.00} s = {floorRate:0} rows/s (entity-group batches of 100 per partition, {Parallelism} in flight)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep: {deleted} rows in {sweep.TotalSeconds:0.00} s = {sweepRate:0} rows/s (index read by day, same batches, day tables dropped)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep / floor = {sweepRate / floorRate:P0}; target ≥ 2,000 rows/s and ≥ 70 %: {(sweepRate >= 2000 && sweepRate >= 0.7 * floorRate ? "met" : "NOT met")}"));
        Console.WriteLine($"rows left in the Messages tables: {left} (expected {kept}); index day tables left: {indexTables.Count} (expected 1, the kept day)");
        return left == kept && deleted == due && indexTables.Count == 1 ? 0 : 1;
    }

    private static async Task<long> SweepAsync(StorageClients storage, DateTimeOffset clock)
    {
        var sweepId = "bench" + Guid.NewGuid().ToString("N")[..8];
        for (var attempt = 1; ; attempt++)
        {
            var time = new FixedTime(clock);
            var store = new RetentionSweepStore(storage, time);
            var sweeper = new RetentionSweeper(storage, store, Options.Create(new RetentionOptions()), new NoAudit(), time);
            try
            {
                if (attempt == 1)
                {
                    await store.CreateAsync(sweeper.NewSweep(sweepId), CancellationToken.None);
                }

                await sweeper.RunAsync(sweepId, CancellationToken.None);
                return (await store.GetAsync(sweepId, CancellationToken.None))!.Classes.Single(c => c.Name == RetentionClasses.Messages).Deleted;
            }
            catch (Exception e) when (attempt < 6 && e is RequestFailedException or AggregateException or HttpRequestException)
            {
                // Azurite answered after the client's timeout (a shared machine): run it again once its lease has
                // lapsed, as a redelivered queue message would. The cutoff moves by minutes; the rows are days apart.
                Console.WriteLine($"sweep attempt {attempt} failed ({e.GetType().Name}); resuming from its checkpoint");
                clock += TimeSpan.FromMinutes(20);
            }
        }
    }

    private static string FloorPartition(int i) => $"floor-{i / PerContact:0000}";

    private static Task DeleteFloorAsync(StorageClients storage, IEnumerable<(string Partition, string Row)> rows) =>
        Parallel.ForEachAsync(
            rows.GroupBy(r => r.Partition).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (batch, token) => await PatientlyAsync(() => storage.Table(MessageTables.Of(batch[0].Partition)).SubmitTransactionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.Partition, r.Row), ETag.All)), token)));

    private static async Task SeedAsync(StorageClients storage, string group, int first, int count, DateTimeOffset from)
    {
        var rows = Enumerable.Range(first, count).Select(i => (Partition: $"{group}-{i / PerContact:0000}", Row: $"m-{i % PerContact:000}")).ToList();
        var index = storage.Table(RetentionIndex.TableOf(RetentionClasses.Messages, from));
        await index.CreateIfNotExistsAsync();
        await InsertAsync(index, rows.Select(r => RetentionIndex.Entry(MessageTables.Of(r.Partition), r.Partition, r.Row, from)));
        await InsertAsync(storage, rows.Select(r => new TableEntity(r.Partition, r.Row) { ["Direction"] = "in" }));
    }

    // Message rows: each partition (contact) into its shard table, as MessageStore writes them.
    private static Task InsertAsync(StorageClients storage, IEnumerable<TableEntity> entities) =>
        Parallel.ForEachAsync(
            entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (batch, token) => await PatientlyAsync(() => storage.Table(MessageTables.Of(batch[0].PartitionKey)).SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token)));

    private static Task InsertAsync(TableClient table, IEnumerable<TableEntity> entities) =>
        Parallel.ForEachAsync(
            entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (batch, token) => await PatientlyAsync(() => table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token)));

    // On a machine shared with other jobs, Azurite sometimes answers after the client's 10 s timeout. Upserts are
    // idempotent, and a delete batch answered 404 on a retry was applied by the attempt that timed out.
    private static async Task PatientlyAsync(Func<Task> submit)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await submit();
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && attempt > 1)
            {
                return;
            }
            catch (Exception e) when (attempt < 30 && e is RequestFailedException or AggregateException or HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(2 * attempt, 20)));
            }
        }
    }

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

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
