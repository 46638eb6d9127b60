using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Contacts;
using Messaging.Shared.Messages;
using Messaging.Shared.Outbound;
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
/// rows with plain deletes on the same Azurite: entity-group batches where the partition allows, single deletes
/// otherwise. Every trial gets its own freshly seeded tables of the same shape: two contacts with N sealed messages
/// each, half inbound, half sent through the outbox, as the stores write them (an inbound message's row is its own
/// de-duplication; a send is an outbox row, its wamid index row and the message row its statuses write), dropped
/// afterwards. The trials alternate floor-first and erasure-first (F E E F ...), so neither profits from running on a
/// smaller or warmer store. The decider is driven in-process, so queue hops of a host's driver are not in the figure.
/// <c>--index-layout old</c> seeds the wamid index as it was before it shared partitions (one partition per send), to
/// show what erasing a contact costs while such rows are left.
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
        var legacyIndex = (Arg(args, "--index-layout") ?? "new") switch
        {
            "new" => false,
            "old" => true,
            var other => throw new ArgumentException($"--index-layout is new or old, not {other}"),
        };
        var floors = new List<TimeSpan>();
        var erasures = new List<TimeSpan>();
        var complete = true;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var erase in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                await using var trial = await Trial.SeedAsync(connection, messages, audience, legacyIndex);
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
                    Console.WriteLine($"  floor:   the same rows, batches of up to 100 a partition (singles where a row is its own partition), {Parallelism} at a time, in {elapsed.TotalSeconds:0.00} s");
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
    private sealed class Trial(ServiceProvider provider, string erased, string kept, int messages, bool legacyIndex) : IAsyncDisposable
    {
        private readonly StorageClients _storage = provider.GetRequiredService<StorageClients>();
        private readonly int _outbound = messages / 2;
        private readonly List<(string PartitionKey, string RowKey)> _messageRows = [];
        private readonly List<(string PartitionKey, string RowKey)> _outboxRows = [];
        private readonly List<(string PartitionKey, string RowKey)> _indexRows = [];

        public static async Task<Trial> SeedAsync(string connection, int messages, int audience, bool legacyIndex)
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
            var trial = new Trial(provider, erased, kept, messages, legacyIndex);
            await trial.SeedContactAsync(erased);
            await trial.SeedContactAsync(kept);
            await trial.SeedAudienceAsync(audience);
            Console.WriteLine($"seeded {messages - trial._outbound} inbound and {trial._outbound} sent messages ({(legacyIndex ? "old" : "current")} wamid index layout) " +
                $"for each of two contacts and {audience} audience rows of others in {seed.Elapsed.TotalSeconds:0.0} s");
            return trial;
        }

        /// <summary>The erased contact's rows, store by store as the erasure goes (outbox with its index, then messages).</summary>
        public async Task<TimeSpan> FloorAsync()
        {
            var floor = Stopwatch.StartNew();
            var steps = new List<string>();
            foreach (var (name, table, rows) in new[]
            {
                ("wamid index", StorageNames.OutboxTable, _indexRows),
                ("outbox", StorageNames.OutboxTable, _outboxRows),
                ("messages", MessageTables.Of(erased), _messageRows),
            })
            {
                var started = floor.Elapsed;
                await DeleteAsync(_storage.Table(table), rows);
                steps.Add($"{name} {(floor.Elapsed - started).TotalSeconds:0.00}");
            }

            Console.WriteLine("  floor steps (s): " + string.Join(", ", steps));
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
            var left = await RowsLeftAsync();
            var done = state is ErasureState.Completed && report.KeyShredded && report.Rows(ErasureStores.Messages) == messages
                && report.Rows(ErasureStores.Outbox) == 2 * _outbound && left == 0;
            if (!done)
            {
                Console.WriteLine($"  incomplete: {state.GetType().Name}, message rows removed {report.Rows(ErasureStores.Messages)} of {messages}, " +
                    $"outbox and index rows {report.Rows(ErasureStores.Outbox)} of {2 * _outbound}, rows left {left} (-1: the other contact lost some)");
            }

            return (elapsed, steps, done);
        }

        /// <summary>
        /// The erased contact's rows left (message rows, outbox rows and wamid index rows naming it), 0 when the other
        /// contact still has all of its.
        /// </summary>
        public async Task<int> RowsLeftAsync()
        {
            var left = new Dictionary<string, int> { [erased] = 0, [kept] = 0 };
            foreach (var table in MessageTables.All)
            {
                await foreach (var row in _storage.Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
                {
                    left[row.PartitionKey]++;
                }
            }

            await foreach (var row in _storage.Table(StorageNames.OutboxTable).QueryAsync<TableEntity>(select: ["PartitionKey", nameof(WamidIndexEntity.ContactKey)]))
            {
                var owner = row.GetString(nameof(WamidIndexEntity.ContactKey)) ?? row.PartitionKey;
                if (left.TryGetValue(owner, out var count))
                {
                    left[owner] = count + 1;
                }
            }

            return left[kept] == messages + 2 * _outbound ? left[erased] : -1;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var table in await _storage.ListTablesAsync("", CancellationToken.None))
            {
                await _storage.Table(table).DeleteAsync();
            }

            await provider.DisposeAsync();
        }

        private static async Task DeleteAsync(TableClient table, List<(string PartitionKey, string RowKey)> rows) =>
            await Parallel.ForEachAsync(
                rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100)),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
                async (batch, token) =>
                {
                    if (batch.Length == 1)
                    {
                        await table.DeleteEntityAsync(batch[0].PartitionKey, batch[0].RowKey, ETag.All, token);
                    }
                    else
                    {
                        await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.PartitionKey, r.RowKey), ETag.All)), token);
                    }
                });

        private static async Task InsertAsync(TableClient table, IEnumerable<ITableEntity> rows) =>
            await Parallel.ForEachAsync(
                rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100)),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
                async (batch, token) => await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), token));

        private async Task SeedAudienceAsync(int rows) =>
            await InsertAsync(_storage.Table(StorageNames.CampaignRecipientsTable), Enumerable.Range(0, rows).Select(i =>
                new TableEntity($"cmp-bench-p{i / 100:D6}", "c" + i.ToString("D8", CultureInfo.InvariantCulture)) { ["State"] = "Sent", ["Generation"] = 1 }));

        /// <summary>
        /// Inbound messages as the message store writes them; sends as the outbox writes them (row sealed by
        /// <see cref="OutboxStore.SealWamid"/>, index row at <see cref="WamidIndexEntity.KeyOf"/>) with the message row
        /// their statuses leave (<see cref="MessageStore.RowKeyOf"/>, Direction "out", the callback id echoed). Written
        /// in entity-group batches, not one request a row, to keep seeding short; the rows are the same.
        /// </summary>
        private async Task SeedContactAsync(string contactKey)
        {
            var keyring = provider.GetRequiredService<ContactKeyring>();
            var outbox = provider.GetRequiredService<OutboxStore>();
            var messageStore = provider.GetRequiredService<MessageStore>();
            var messageRows = new List<ITableEntity>();
            var outboxRows = new List<ITableEntity>();
            var indexRows = new List<ITableEntity>();
            var sentAt = DateTimeOffset.UtcNow.AddDays(-1);
            for (var i = 0; i < messages; i++)
            {
                var wamid = $"wamid.bench-{contactKey}-{i}";
                if (i >= _outbound)
                {
                    messageRows.Add(new TableEntity(contactKey, RowKey(i))
                    {
                        ["Direction"] = "in",
                        ["Type"] = "text",
                        ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", wamid, CancellationToken.None),
                        ["Text"] = await keyring.SealAsync(contactKey, "text", "Guten Tag, ich habe eine Frage zu meiner Bestellung Nr. " + i, CancellationToken.None),
                    });
                    continue;
                }

                var send = new OutboxEntity
                {
                    PartitionKey = contactKey,
                    RowKey = outbox.SendKey($"bench-send-{i}"),
                    State = nameof(OutboxState.Sent),
                    Kind = "Marketing",
                    MessageType = "template",
                    CreatedAt = sentAt,
                    CompletedAt = sentAt,
                    HttpStatus = 200,
                    MessageStatus = "accepted",
                };
                outbox.SealWamid(send, wamid);
                outboxRows.Add(send);
                var (indexPartition, indexRow) = legacyIndex ? WamidIndexEntity.LegacyKeyOf(send.WamidHash!) : WamidIndexEntity.KeyOf(send.WamidHash!);
                indexRows.Add(new WamidIndexEntity { PartitionKey = indexPartition, RowKey = indexRow, ContactKey = contactKey, SendKey = send.RowKey });
                messageRows.Add(new TableEntity(contactKey, messageStore.RowKeyOf(wamid))
                {
                    ["Direction"] = "out",
                    ["Status"] = "read",
                    ["Seen"] = "delivered,read,sent",
                    ["SentStatusAt"] = sentAt,
                    ["DeliveredAt"] = sentAt,
                    ["ReadAt"] = sentAt,
                    ["PricingCategory"] = "marketing",
                    ["CallbackId"] = send.RowKey,
                    ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", wamid, CancellationToken.None),
                });
            }

            await InsertAsync(_storage.Table(MessageTables.Of(contactKey)), messageRows);
            await InsertAsync(_storage.Table(StorageNames.OutboxTable), outboxRows.Concat(indexRows));
            if (contactKey == erased)
            {
                _messageRows.AddRange(messageRows.Select(r => (r.PartitionKey, r.RowKey)));
                _outboxRows.AddRange(outboxRows.Select(r => (r.PartitionKey, r.RowKey)));
                _indexRows.AddRange(indexRows.Select(r => (r.PartitionKey, r.RowKey)));
            }
        }
    }
}
