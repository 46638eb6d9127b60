using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Storage;
using Messaging.Shared.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Bench;

/// <summary>
/// Erasure of a contact with many messages (docs/performance.md): the erasure decider driven step by step with the real
/// effects (tombstone, per-store paged deletes, key shredding, receipt, audit), against a floor that deletes the same
/// message rows with plain entity-group batches on the same Azurite. Every trial gets its own freshly seeded tables of
/// the same shape (two contacts with N sealed messages each, as the message store writes them: the row is its own
/// de-duplication, nothing outside the partition per message), which are dropped afterwards; the trials alternate
/// floor-first and erasure-first (F E E F ...), so neither profits from running on a smaller or warmer store. The decider
/// is driven in-process, so queue hops of a host's driver are not in the figure.
/// </summary>
internal static class ErasureBenchmark
{
    private const int Parallelism = 16;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var connection = Arg(args, "--storage") ?? throw new ArgumentException("--storage is required");
        var messages = int.Parse(Arg(args, "--messages") ?? "10000", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Arg(args, "--rounds") ?? "2", CultureInfo.InvariantCulture);
        // Other contacts' campaign audience rows: the erasure's campaign step scans that table (no index).
        var audience = int.Parse(Arg(args, "--audience") ?? "0", CultureInfo.InvariantCulture);
        var floors = new List<TimeSpan>();
        var erasures = new List<TimeSpan>();
        var complete = true;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var erase in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                await using var trial = await Trial.SeedAsync(connection, messages, audience);
                if (erase)
                {
                    var (elapsed, steps, done) = await trial.EraseAsync();
                    erasures.Add(elapsed);
                    complete &= done;
                    Console.WriteLine($"  erasure: {messages} messages, {steps} effects, every store visited, key shredded, in {elapsed.TotalSeconds:0.00} s (done: {done})");
                }
                else
                {
                    var elapsed = await trial.FloorAsync();
                    floors.Add(elapsed);
                    complete &= await trial.RowsLeftAsync() == 0;
                    Console.WriteLine($"  floor:   {messages} message rows in batches of 100, {Parallelism} at a time, in {elapsed.TotalSeconds:0.00} s");
                }
            }
        }

        var floor = TimeSpan.FromSeconds(floors.Average(f => f.TotalSeconds));
        var erasure = TimeSpan.FromSeconds(erasures.Average(e => e.TotalSeconds));
        Console.WriteLine($"floor (mean of {floors.Count}): {floor.TotalSeconds:0.00} s; erasure (mean of {erasures.Count}): {erasure.TotalSeconds:0.00} s; " +
            $"erasure / floor = {erasure.TotalSeconds / floor.TotalSeconds:0.00}; every run complete, the other contact intact: {complete}");
        return complete && erasure < Target ? 0 : 1;
    }

    private static string RowKey(int i) => "m-" + i.ToString("D6", CultureInfo.InvariantCulture);

    private static string? Arg(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>One table set (its own name prefix) holding two contacts with the same messages; dropped on dispose.</summary>
    private sealed class Trial(ServiceProvider provider, string erased, string kept, int messages) : IAsyncDisposable
    {
        private readonly StorageClients _storage = provider.GetRequiredService<StorageClients>();

        public static async Task<Trial> SeedAsync(string connection, int messages, int audience)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Meta:AppSecret"] = "bench-app-secret",
                ["Meta:VerifyToken"] = "bench-verify-token",
                ["Security:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Storage:ConnectionString"] = connection,
                ["Storage:NamePrefix"] = "e" + Guid.NewGuid().ToString("N")[..8],
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            services.AddSingleton<IConfiguration>(configuration);
            services.AddMessagingCore(configuration);
            services.AddConsent(configuration);
            services.AddPrivacy(configuration);
            var provider = services.BuildServiceProvider();
            await provider.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
            var contacts = provider.GetRequiredService<IContactDirectory>();
            var erased = await contacts.ResolveOrCreateByPhoneAsync("+4915112300001", CancellationToken.None);
            var kept = await contacts.ResolveOrCreateByPhoneAsync("+4915112300002", CancellationToken.None);
            var seed = Stopwatch.StartNew();
            var trial = new Trial(provider, erased, kept, messages);
            await trial.SeedMessagesAsync(erased);
            await trial.SeedMessagesAsync(kept);
            await trial.SeedAudienceAsync(audience);
            Console.WriteLine($"seeded {messages} sealed messages for each of two contacts and {audience} audience rows of others in {seed.Elapsed.TotalSeconds:0.0} s");
            return trial;
        }

        public async Task<TimeSpan> FloorAsync()
        {
            var table = _storage.Table(StorageNames.MessagesTable);
            var floor = Stopwatch.StartNew();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, messages).Select(RowKey).Chunk(100),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
                async (batch, token) => await table.SubmitTransactionAsync(
                    batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(erased, r), ETag.All)), token));
            return floor.Elapsed;
        }

        public async Task<(TimeSpan Elapsed, int Steps, bool Done)> EraseAsync()
        {
            var effects = provider.GetRequiredService<IWorkflowEffects<ErasureEffect, ErasureInput>>();
            var run = Stopwatch.StartNew();
            var state = Erasure.Initial;
            var inputs = new Queue<ErasureInput>([new ErasureInput.Requested("bench-erasure", erased, "web", false, DateTimeOffset.UtcNow)]);
            var steps = 0;
            var spent = new Dictionary<string, TimeSpan>();
            while (inputs.TryDequeue(out var input))
            {
                var owed = Erasure.Decide(state, input);
                state = Erasure.Evolve(state, input);
                foreach (var effect in owed)
                {
                    steps++;
                    var started = run.Elapsed;
                    if (await effects.ExecuteAsync(effect, CancellationToken.None) is { } next)
                    {
                        inputs.Enqueue(next);
                    }

                    var name = effect is ErasureEffect.DeleteRows d ? d.Store : effect.GetType().Name;
                    spent[name] = spent.GetValueOrDefault(name) + (run.Elapsed - started);
                }
            }

            var elapsed = run.Elapsed;
            Console.WriteLine("  erasure steps (s): " + string.Join(", ", spent.Select(p => $"{p.Key} {p.Value.TotalSeconds:0.00}")));
            var report = Erasure.Progress(state)!.Report;
            var done = state is ErasureState.Completed && report.KeyShredded && report.Rows(ErasureStores.Messages) == messages && await RowsLeftAsync() == 0;
            return (elapsed, steps, done);
        }

        /// <summary>The erased contact's message rows left, 0 when the other contact still has all of its.</summary>
        public async Task<int> RowsLeftAsync()
        {
            var left = new Dictionary<string, int> { [erased] = 0, [kept] = 0 };
            await foreach (var row in _storage.Table(StorageNames.MessagesTable).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                left[row.PartitionKey]++;
            }

            return left[kept] == messages ? left[erased] : -1;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var table in await _storage.ListTablesAsync("", CancellationToken.None))
            {
                await _storage.Table(table).DeleteAsync();
            }

            await provider.DisposeAsync();
        }

        private async Task SeedAudienceAsync(int rows)
        {
            var table = _storage.Table(StorageNames.CampaignRecipientsTable);
            var pages = Enumerable.Range(0, rows).Chunk(100).Select(page => page.Select(i => new TableTransactionAction(
                TableTransactionActionType.Add,
                new TableEntity($"cmp-bench-p{i / 100:D6}", "c" + i.ToString("D8", CultureInfo.InvariantCulture)) { ["State"] = "Sent", ["Generation"] = 1 })));
            await Parallel.ForEachAsync(pages, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (page, token) => await table.SubmitTransactionAsync(page, token));
        }

        private async Task SeedMessagesAsync(string contactKey)
        {
            var keyring = provider.GetRequiredService<ContactKeyring>();
            var table = _storage.Table(StorageNames.MessagesTable);
            var batches = new List<TableTransactionAction[]>();
            for (var start = 0; start < messages; start += 100)
            {
                var batch = new List<TableTransactionAction>();
                for (var i = start; i < Math.Min(start + 100, messages); i++)
                {
                    batch.Add(new(TableTransactionActionType.Add, new TableEntity(contactKey, RowKey(i))
                    {
                        ["Direction"] = "in",
                        ["Type"] = "text",
                        ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", $"wamid.bench-{contactKey}-{i}", CancellationToken.None),
                        ["Text"] = await keyring.SealAsync(contactKey, "text", "Guten Tag, ich habe eine Frage zu meiner Bestellung Nr. " + i, CancellationToken.None),
                    }));
                }

                batches.Add([.. batch]);
            }

            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, token) => await table.SubmitTransactionAsync(batch, token));
        }
    }
}
