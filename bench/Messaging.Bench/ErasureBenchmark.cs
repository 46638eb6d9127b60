using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Contacts;
using Messaging.Shared.Inbox;
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
/// effects (tombstone, per-store paged deletes including the inbox rows found through the sealed wamids, key shredding,
/// receipt, audit), against a floor that deletes the same message and inbox rows with plain batch and single deletes
/// on the same Azurite. The decider is driven in-process, so queue hops of a host's driver are not in the figure.
/// </summary>
internal static class ErasureBenchmark
{
    private const int Parallelism = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var connection = Arg(args, "--storage") ?? throw new ArgumentException("--storage is required");
        var messages = int.Parse(Arg(args, "--messages") ?? "10000", CultureInfo.InvariantCulture);
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
        await using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredService<StorageClients>();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var contacts = provider.GetRequiredService<IContactDirectory>();
        var erased = await contacts.ResolveOrCreateByPhoneAsync("+4915112300001", CancellationToken.None);
        var floorContact = await contacts.ResolveOrCreateByPhoneAsync("+4915112300002", CancellationToken.None);

        Console.WriteLine($"seeding {messages} sealed messages and their inbox rows for each of two contacts ...");
        var seed = Stopwatch.StartNew();
        var floorRows = await SeedAsync(provider, erased, messages);
        var floorInbox = await SeedAsync(provider, floorContact, messages);
        Console.WriteLine($"seeded in {seed.Elapsed.TotalSeconds:0.0} s");

        var floor = Stopwatch.StartNew();
        var messageTable = storage.Table(StorageNames.MessagesTable);
        var inboxTable = storage.Table(StorageNames.InboxTable);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, messages).Select(i => RowKey(i)).Chunk(100),
            new ParallelOptions { MaxDegreeOfParallelism = 1 },
            async (batch, token) => await messageTable.SubmitTransactionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(floorContact, r), ETag.All)), token));
        await Parallel.ForEachAsync(
            floorInbox,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (key, token) => await inboxTable.DeleteEntityAsync(key, InboxGuard.Row, ETag.All, token));
        floor.Stop();
        _ = floorRows;

        var effects = provider.GetRequiredService<IWorkflowEffects<ErasureEffect, ErasureInput>>();
        var run = Stopwatch.StartNew();
        var state = Erasure.Initial;
        var inputs = new Queue<ErasureInput>([new ErasureInput.Requested("bench-erasure", erased, "web", false, DateTimeOffset.UtcNow)]);
        var steps = 0;
        while (inputs.TryDequeue(out var input))
        {
            var owed = Erasure.Decide(state, input);
            state = Erasure.Evolve(state, input);
            foreach (var effect in owed)
            {
                steps++;
                if (await effects.ExecuteAsync(effect, CancellationToken.None) is { } next)
                {
                    inputs.Enqueue(next);
                }
            }
        }

        run.Stop();
        var report = Erasure.Progress(state)!.Report;
        var left = 0;
        await foreach (var _ in messageTable.QueryAsync<TableEntity>(e => e.PartitionKey == erased, select: ["PartitionKey"]))
        {
            left++;
        }

        Console.WriteLine($"floor:   {messages} message rows (batches of 100) + {messages} inbox rows (single deletes, {Parallelism} at a time) in {floor.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"erasure: {report.Rows(ErasureStores.Messages)} messages, {steps} effects, key shredded: {report.KeyShredded}, in {run.Elapsed.TotalSeconds:0.00} s (one audit entry per page; every store of the contact is visited)");
        Console.WriteLine($"erasure / floor = {run.Elapsed.TotalSeconds / floor.Elapsed.TotalSeconds:0.0}x; message rows left: {left}");
        return state is ErasureState.Completed && left == 0 && run.Elapsed < TimeSpan.FromSeconds(10) ? 0 : 1;
    }

    private static string RowKey(int i) => "m-" + i.ToString("D6", CultureInfo.InvariantCulture);

    /// <returns>The inbox keys written.</returns>
    private static async Task<List<string>> SeedAsync(IServiceProvider provider, string contactKey, int count)
    {
        var storage = provider.GetRequiredService<StorageClients>();
        var keyring = provider.GetRequiredService<ContactKeyring>();
        var inbox = provider.GetRequiredService<InboxGuard>();
        var messageTable = storage.Table(StorageNames.MessagesTable);
        var inboxTable = storage.Table(StorageNames.InboxTable);
        var inboxKeys = new List<string>();
        for (var start = 0; start < count; start += 100)
        {
            var batch = new List<TableTransactionAction>();
            for (var i = start; i < Math.Min(start + 100, count); i++)
            {
                var wamid = $"wamid.bench-{contactKey}-{i}";
                inboxKeys.Add(inbox.KeyOf("m:" + wamid));
                batch.Add(new(TableTransactionActionType.Add, new TableEntity(contactKey, RowKey(i))
                {
                    ["Direction"] = "in",
                    ["Type"] = "text",
                    ["Wamid"] = await keyring.SealAsync(contactKey, "wamid", wamid, CancellationToken.None),
                    ["Text"] = await keyring.SealAsync(contactKey, "text", "Guten Tag, ich habe eine Frage zu meiner Bestellung Nr. " + i, CancellationToken.None),
                }));
            }

            await messageTable.SubmitTransactionAsync(batch);
        }

        await Parallel.ForEachAsync(
            inboxKeys,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (key, token) => await inboxTable.AddEntityAsync(new TableEntity(key, InboxGuard.Row), token));
        return inboxKeys;
    }

    private static string? Arg(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
