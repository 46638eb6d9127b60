using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Messaging.Shared.Contacts;
using Messaging.Shared.Conversations;
using Messaging.Shared.Events;
using Messaging.Shared.Messages;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Privacy;
using Messaging.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Bench;

/// <summary>
/// The inbox read path and events out (docs/performance.md): seed contacts with sealed messages and conversation rows in
/// the stores' own formats, then time the shared handlers that both hosts call (list 50 conversations, open a
/// 200-message thread) with a cold process (fresh keyring cache), and event delivery end to end (append, queue,
/// dispatcher, signed POST to a local receiver) at a target rate.
/// </summary>
internal static class ConversationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var storageConnection = Arg(args, "--storage") ?? throw new ArgumentException("--storage is required");
        var contacts = int.Parse(Arg(args, "--contacts") ?? "10000", CultureInfo.InvariantCulture);
        var messages = int.Parse(Arg(args, "--messages") ?? "500000", CultureInfo.InvariantCulture);
        var eventRate = int.Parse(Arg(args, "--event-rate") ?? "300", CultureInfo.InvariantCulture);
        var eventSeconds = int.Parse(Arg(args, "--event-seconds") ?? "20", CultureInfo.InvariantCulture);
        var seedParallelism = int.Parse(Arg(args, "--seed-parallelism") ?? "8", CultureInfo.InvariantCulture);
        // Writers appending at once: inbound processing's parallelism; an in-line append also waits for the receiver.
        var eventWriters = int.Parse(Arg(args, "--event-writers") ?? "32", CultureInfo.InvariantCulture);
        // Only the event phases, on empty stores: the way to measure events out on a busy machine without the seed.
        var eventsOnly = args.Contains("--events-only");
        var receiver = await Receiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Meta:AppSecret"] = "bench",
            ["Meta:VerifyToken"] = "bench",
            ["Meta:AccessToken"] = "bench",
            ["Meta:PhoneNumberId"] = "100000000000001",
            ["Security:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Storage:ConnectionString"] = storageConnection,
            ["Storage:NamePrefix"] = "c" + Guid.NewGuid().ToString("N")[..8],
            ["Consent:BusinessName"] = "Bench",
            ["Consent:BusinessPhoneNumber"] = "4930901820",
            ["Consent:PrivacyNoticeUrl"] = "https://bench.example/privacy",
            ["Consent:PrivacyNoticeVersion"] = "p1",
            ["Consent:ConsentTextVersion"] = "c1",
            ["Consent:MarketingConsentTextDe"] = "Ja",
            ["Consent:MarketingConsentTextEn"] = "Yes",
            ["Events:Subscriptions:0:Url"] = receiver.Url,
            ["Events:Subscriptions:0:Secret"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Events:Subscriptions:0:Types:0"] = EventTypes.MessageReceived,
        };

        if (eventsOnly)
        {
            await using var creating = Compose(settings);
            await creating.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        }
        else
        {
            await SeedAndReadAsync(settings, contacts, messages, seedParallelism);
        }

        await RunEventPhasesAsync(settings, storageConnection, receiver, contacts, eventRate, eventSeconds, eventWriters);
        await receiver.DisposeAsync();
        return 0;
    }

    private static async Task SeedAndReadAsync(Dictionary<string, string?> settings, int contacts, int messages, int seedParallelism)
    {
        var bigThreads = Math.Min(20, contacts);
        var perContact = Math.Max(1, (messages - (bigThreads * 200)) / Math.Max(1, contacts - bigThreads));
        // The remainder goes one each to the first small threads, so the store holds exactly the messages asked for.
        var oneMore = Math.Max(0, messages - (bigThreads * 200) - (perContact * (contacts - bigThreads)));
        Console.WriteLine($"seeding {contacts} contacts, {messages} messages ({bigThreads} threads of 200, the rest {perContact} or {perContact + 1} each), sealed ...");
        var seed = Stopwatch.StartNew();
        string[] big;
        await using (var seeding = Compose(settings))
        {
            await seeding.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
            big = await SeedAsync(seeding, contacts, bigThreads, perContact, oneMore, seedParallelism);
        }

        Console.WriteLine($"seeded in {seed.Elapsed.TotalSeconds:0} s");

        await using (var cold = Compose(settings))
        {
            var handlers = cold.GetRequiredService<ConversationHandlers>();
            var list = await TimeAsync(60, async _ => await handlers.ListAsync(Request("?status=all"), CancellationToken.None));
            var thread = await TimeAsync(60, async i => await handlers.ListMessagesAsync(Request("?limit=200"), big[i % big.Length], CancellationToken.None));
            // The floor of any read of the messages on this Azurite: the same partition in its shard table, row keys only.
            var storage = cold.GetRequiredService<StorageClients>();
            var floor = await TimeAsync(60, async i =>
            {
                var contactKey = big[i % big.Length];
                await foreach (var _ in storage.Table(MessageTables.Of(contactKey)).QueryAsync<TableEntity>(e => e.PartitionKey == contactKey, select: ["RowKey"]))
                {
                }
            });
            Console.WriteLine($"floor (bare partition query, row keys only): p50 {floor.P50:0.0} ms, p95 {floor.P95:0.0} ms (n=60)");
            Console.WriteLine($"list 50 conversations: first (cold) {list.First:0.0} ms, p50 {list.P50:0.0} ms, p95 {list.P95:0.0} ms, max {list.Max:0.0} ms (n=60)");
            Console.WriteLine($"open 200-message thread: first (cold) {thread.First:0.0} ms, p50 {thread.P50:0.0} ms, p95 {thread.P95:0.0} ms, max {thread.Max:0.0} ms (n=60, {big.Length} threads)");
        }
    }

    private static async Task RunEventPhasesAsync(
        Dictionary<string, string?> settings, string storageConnection, Receiver receiver, int contacts, int eventRate, int eventSeconds, int eventWriters)
    {
        using var probe = new StorageProbe(storageConnection);
        await using (var events = Compose(settings))
        {
            var outbox = events.GetRequiredService<EventOutbox>();
            var operations = events.GetRequiredService<EventDeliveryOperations>();
            using var stop = new CancellationTokenSource();
            // How long one queued delivery (a nudge's handler: query, post, commit) takes, to tell waiting from working.
            var deliveries = new System.Collections.Concurrent.ConcurrentBag<double>();
            var loop = StorageQueueLoop.RunAsync(events.GetRequiredService<StorageClients>().Queue(StorageNames.EventsOutQueue),
                async (m, ct) =>
                {
                    var started = Stopwatch.GetTimestamp();
                    await operations.HandleAsync(m.Body.ToString(), ct);
                    deliveries.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return (QueueDisposition.Done, TimeSpan.Zero);
                },
                events.GetRequiredService<ILoggerFactory>().CreateLogger("bench"), stop.Token, parallelism: 16);
            var total = eventRate * eventSeconds;
            // The floor of events on this Azurite: single-entity upserts into one table, 32 at a time (an event in line needs
            // two entity-group transactions one after the other; a queued one also a queue put, a query, a queue get and delete).
            var floorTable = events.GetRequiredService<StorageClients>().Table(StorageNames.EventOutboxTable);
            var floorClock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
                await floorTable.UpsertEntityAsync(new TableEntity("floor-" + (i % 100).ToString("D3", CultureInfo.InvariantCulture), "f-" + i.ToString("D6", CultureInfo.InvariantCulture)), cancellationToken: ct));
            Console.WriteLine($"floor: 2000 single-entity upserts in {floorClock.Elapsed.TotalSeconds:0.0} s = {2000 / floorClock.Elapsed.TotalSeconds:0}/s");
            // As inbound processing appends (delivered in the appending call when the contact has nothing pending), then
            // as the other writers do (consent, campaigns: through the queue).
            await RunEventsAsync("in-line (inbound processing)", inline: true, offset: 0);
            await RunEventsAsync("queued (other writers)", inline: false, offset: total);
            await stop.CancelAsync();
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // The loop ends with the token.
            }

            async Task RunEventsAsync(string label, bool inline, int offset)
            {
                probe.Start();
                deliveries.Clear();
                var before = receiver.Count;
                var clock = Stopwatch.StartNew();
                var appended = 0;
                await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = eventWriters }, async (i, ct) =>
                {
                    var due = TimeSpan.FromSeconds((double)i / eventRate);
                    if (clock.Elapsed < due)
                    {
                        await Task.Delay(due - clock.Elapsed, ct);
                    }

                    var contactKey = "bench-contact-" + ((offset + i) % contacts).ToString("D6", CultureInfo.InvariantCulture);
                    var data = new Dictionary<string, object?> { ["contactKey"] = contactKey, ["kind"] = "text" };
                    _ = inline
                        ? await outbox.AppendAndDeliverAsync(contactKey, "m:" + (offset + i), EventTypes.MessageReceived, DateTimeOffset.UtcNow, data, null, ct)
                        : await outbox.AppendAsync(contactKey, "m:" + (offset + i), EventTypes.MessageReceived, DateTimeOffset.UtcNow, data, null, ct);
                    Interlocked.Increment(ref appended);
                });
                var appendSeconds = clock.Elapsed.TotalSeconds;
                while (receiver.Count - before < total && clock.Elapsed < TimeSpan.FromSeconds(eventSeconds * 6))
                {
                    await Task.Delay(100);
                }

                var deliverSeconds = clock.Elapsed.TotalSeconds;
                var delivered = receiver.Count - before;
                var (ownCpu, azuriteCpu) = probe.CpuSeconds();
                Console.WriteLine($"events, {label}, {eventWriters} writers: {appended} appended in {appendSeconds:0.0} s ({appended / appendSeconds:0}/s offered at {eventRate}/s); " +
                    $"{delivered} delivered by {deliverSeconds:0.0} s = {delivered / deliverSeconds:0}/s end to end");
                // Per event: what it cost storage and the CPU of both sides (Azurite's table process is the usual limit).
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  per event: {(double)probe.TableRequests / total:0.00} table requests, {(double)probe.QueueRequests / total:0.00} queue requests; " +
                    $"CPU {1000 * ownCpu / total:0.00} ms bench, {1000 * azuriteCpu / total:0.00} ms Azurite tables"));
                if (!deliveries.IsEmpty)
                {
                    var sorted = deliveries.Order().ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  queued deliveries (handler time): {sorted.Length}, p50 {sorted[sorted.Length / 2]:0.0} ms, p95 {sorted[(int)(sorted.Length * 0.95)]:0.0} ms, max {sorted[^1]:0.0} ms"));
                }

                Console.WriteLine(probe.Breakdown(total));
                Console.WriteLine(probe.QueueBreakdown(total));
            }
        }
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error));
        services.AddMessagingCore(configuration);
        services.AddConsent(configuration);
        services.AddPrivacy(configuration);
        services.AddConversations(configuration);
        services.AddSingleton<Messaging.Shared.Consent.Sending.IOutboundSendQueue, Messaging.Shared.Consent.Sending.StorageOutboundSendQueue>();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Seeds in the stores' own formats: per contact its messages as entity-group upserts of up to 100 rows, then its
    /// conversation and index rows; a bounded number of contacts in flight (Azurite's table service is one event loop, so
    /// more only queue up there); every request retried with back-off, since upserts are idempotent and a busy machine
    /// makes Azurite miss the client's 10 s timeout now and then; progress every 10 s.
    /// </summary>
    private static async Task<string[]> SeedAsync(ServiceProvider services, int contacts, int bigThreads, int perContact, int oneMore, int parallelism)
    {
        var storage = services.GetRequiredService<StorageClients>();
        var keyring = services.GetRequiredService<ContactKeyring>();
        var conversations = storage.Table(StorageNames.ConversationsTable);
        var index = storage.Table(StorageNames.ConversationIndexTable);
        var now = DateTimeOffset.UtcNow;
        var big = new List<string>();
        var progress = new SeedProgress();
        using var stopReporting = new CancellationTokenSource();
        var reporting = progress.ReportEveryAsync(TimeSpan.FromSeconds(10), contacts, stopReporting.Token);
        await Parallel.ForEachAsync(Enumerable.Range(0, contacts), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, ct) =>
        {
            var contactKey = "bench-contact-" + c.ToString("D6", CultureInfo.InvariantCulture);
            var count = c < bigThreads ? 200 : perContact + (c < bigThreads + oneMore ? 1 : 0);
            if (c < bigThreads)
            {
                lock (big)
                {
                    big.Add(contactKey);
                }
            }

            // The first seal creates the contact's data key (a storage write); the rest use the cached key.
            await progress.RetryAsync(async () => await keyring.SealAsync(contactKey, "preview", "Wann kommt meine Bestellung?", ct), ct);
            var last = now.AddSeconds(-c * 7);
            var rows = new List<TableEntity>(count);
            for (var m = 0; m < count; m++)
            {
                var inbound = m % 2 == 0;
                var text = $"Nachricht {m} von Kontakt {c}: Wann kommt meine Bestellung? Vielen Dank und freundliche Grüße.";
                var row = new TableEntity(contactKey, "m-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contactKey + m)))[..32])
                {
                    ["Direction"] = inbound ? "in" : "out",
                    ["Type"] = "text",
                    ["SentAt"] = last.AddMinutes(m - count),
                    ["Text"] = await keyring.SealAsync(contactKey, "text", text, ct),
                };
                if (inbound)
                {
                    row[Messaging.Shared.Messages.MessageStore.ReplyToKnownColumn] = true;
                    row["Raw"] = await keyring.SealAsync(contactKey, "message", "{\"from\":\"49151" + c.ToString("D8", CultureInfo.InvariantCulture) + "\",\"id\":\"wamid." + c + "." + m + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}", ct);
                }
                else
                {
                    row["Status"] = "read";
                }

                rows.Add(row);
            }

            foreach (var chunk in rows.Chunk(100))
            {
                // Into the contact's shard table, as MessageStore writes them.
                await progress.RetryAsync(async () => await storage.Table(MessageTables.Of(contactKey)).SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct), ct);
                progress.AddMessages(chunk.Length);
            }

            var indexKey = ConversationStore.IndexKey(last, contactKey);
            var conversation = new TableEntity(contactKey, ConversationStore.Row)
            {
                ["Status"] = "open",
                ["Unread"] = c % 3,
                ["LastMessageAt"] = last,
                ["LastInboundAt"] = last,
                ["Preview"] = await keyring.SealAsync(contactKey, "preview", "Wann kommt meine Bestellung?", ct),
                ["ProfileName"] = await keyring.SealAsync(contactKey, "profile_name", $"Kundin {c}", ct),
            };
            var indexRow = new TableEntity(ConversationStore.IndexPartition, indexKey) { ["ContactKey"] = contactKey };
            foreach (var (column, value) in conversation)
            {
                if (column is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
                {
                    indexRow[column] = value;
                }
            }

            conversation["IndexKey"] = indexKey;
            await progress.RetryAsync(async () => await index.UpsertEntityAsync(indexRow, cancellationToken: ct), ct);
            await progress.RetryAsync(async () => await conversations.UpsertEntityAsync(conversation, cancellationToken: ct), ct);
            progress.AddContact();
        });
        await stopReporting.CancelAsync();
        await reporting;
        progress.Report(contacts);
        return [.. big];
    }

    /// <summary>Counts what the seed wrote and retried, and retries one idempotent request with back-off.</summary>
    private sealed class SeedProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _contacts;
        private long _messages;
        private int _retries;

        public void AddContact() => Interlocked.Increment(ref _contacts);

        public void AddMessages(int count) => Interlocked.Add(ref _messages, count);

        public async Task RetryAsync(Func<Task> request, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await request();
                    return;
                }
                catch (Exception e) when (attempt < 12 && !cancellationToken.IsCancellationRequested &&
                    e is Azure.RequestFailedException { Status: 0 or 408 or 429 or >= 500 } or TimeoutException or OperationCanceledException or HttpRequestException)
                {
                    Interlocked.Increment(ref _retries);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 0.5 * Math.Pow(2, attempt - 1))), cancellationToken);
                }
            }
        }

        public void Report(int target)
        {
            var seconds = _clock.Elapsed.TotalSeconds;
            Console.WriteLine($"  seeded {Volatile.Read(ref _contacts)}/{target} contacts, {Interlocked.Read(ref _messages)} messages in {seconds:0} s " +
                $"({Interlocked.Read(ref _messages) / Math.Max(seconds, 0.001):0} messages/s), {Volatile.Read(ref _retries)} retried requests");
        }

        public async Task ReportEveryAsync(TimeSpan interval, int target, CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    Report(target);
                }
            }
            catch (OperationCanceledException)
            {
                // The seed is done.
            }
        }
    }

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    private static async Task<(double First, double P50, double P95, double Max)> TimeAsync(int n, Func<int, Task> action)
    {
        var samples = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            var watch = Stopwatch.StartNew();
            await action(i);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        var first = samples[0];
        samples.Sort();
        return (first, samples[n / 2], samples[(int)Math.Ceiling(n * 0.95) - 1], samples[^1]);
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A receiver that answers 200 and counts deliveries.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _count;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public int Count => Volatile.Read(ref _count);

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            Receiver? self = null;
            app.MapPost("/events", () =>
            {
                Interlocked.Increment(ref self!._count);
                return Results.Ok();
            });
            await app.StartAsync();
            var address = app.Urls.First();
            self = new Receiver(app, address + "/events");
            return self;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
