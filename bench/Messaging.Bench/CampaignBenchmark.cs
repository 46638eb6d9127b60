using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Messaging.LocalHost.Workflows;
using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Api;
using Messaging.Shared.Configuration;
using Messaging.Shared.Consent;
using Azure.Data.Tables;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Segments;
using Messaging.Shared.Contacts;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Privacy;
using Messaging.Shared.Storage;

namespace Messaging.Bench;

/// <summary>
/// The campaign benchmark (docs/performance.md): per scenario (recipients at a cap), a fresh set of tables on one
/// Azurite, contacts with confirmed marketing consent (plus some without, and some who withdraw after the audience
/// was taken), a campaign over the marketing segment, driven by LocalHost's own workflow driver and queue worker, sending
/// through the real consent gate, outbox and throughput limiter to a fake Cloud API in this process that counts
/// every send per recipient. Reports the achieved rate against the cap, duplicates and sends to people without consent.
/// Arguments: --scenarios 10000@80,100000@1000 (recipients@messages-per-second), --without-consent N, --withdrawn N.
/// </summary>
internal static class CampaignBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var storage = Arg(args, "--storage") ?? throw new ArgumentException("--storage is required");
        var scenarios = (Arg(args, "--scenarios") ?? "10000@80,100000@1000").Split(',')
            .Select(s => s.Split('@')).Select(p => (Recipients: int.Parse(p[0], CultureInfo.InvariantCulture), Rate: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        var withoutConsent = int.Parse(Arg(args, "--without-consent") ?? "200", CultureInfo.InvariantCulture);
        var withdrawn = int.Parse(Arg(args, "--withdrawn") ?? "100", CultureInfo.InvariantCulture);
        await using var graph = await CampaignGraph.StartAsync();
        var rows = new List<string>();
        foreach (var (recipients, rate) in scenarios)
        {
            rows.Add(await RunScenarioAsync(storage, graph, recipients, rate, withoutConsent, withdrawn));
        }

        Console.WriteLine();
        Console.WriteLine("| recipients | cap (msg/s) | ideal (N / cap) | first to last send | achieved rate | % of cap | start to completed | duplicates | sends without consent | skipped (withdrawn) | table requests / send | CPU / send (bench / Azurite tables) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<string> RunScenarioAsync(string storage, CampaignGraph graph, int recipients, int rate, int withoutConsent, int withdrawn)
    {
        graph.Reset();
        var settings = new Dictionary<string, string?>
        {
            ["Meta:AppSecret"] = "bench",
            ["Meta:VerifyToken"] = "bench",
            ["Meta:AccessToken"] = CampaignGraph.Token,
            ["Meta:PhoneNumberId"] = CampaignGraph.PhoneNumberId,
            ["Meta:BusinessAccountId"] = CampaignGraph.BusinessAccountId,
            ["Meta:GraphApiBaseUrl"] = graph.BaseAddress.ToString(),
            ["Meta:MessagesPerSecond"] = rate.ToString(CultureInfo.InvariantCulture),
            ["Security:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Storage:ConnectionString"] = storage,
            ["Storage:NamePrefix"] = "k" + Guid.NewGuid().ToString("N")[..8],
            ["Consent:BusinessName"] = "Bench",
            ["Consent:BusinessPhoneNumber"] = "4930901820",
            ["Consent:PrivacyNoticeUrl"] = "https://bench.example/privacy",
            ["Consent:PrivacyNoticeVersion"] = "p1",
            ["Consent:ConsentTextVersion"] = "c1",
            ["Consent:MarketingConsentTextDe"] = "Ja",
            ["Consent:MarketingConsentTextEn"] = "Yes",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error));
        services.AddMessagingCore(configuration);
        services.AddConsent(configuration);
        services.AddPrivacy(configuration);
        services.AddCampaigns(configuration);
        services.AddSingleton<TableWorkflowDriver>();
        services.AddSingleton<QueueWakeups>();
        await using var provider = services.BuildServiceProvider();
        using var probe = new StorageProbe(storage);
        await provider.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);

        // Seed: recipients with confirmed marketing consent, others without; phone numbers are made up.
        var clock = Stopwatch.StartNew();
        var directory = provider.GetRequiredService<ContactDirectory>();
        var ledger = provider.GetRequiredService<ConsentLedger>();
        var consented = new string[recipients];
        var consentTable = provider.GetRequiredService<StorageClients>().Table(StorageNames.ConsentTable);
        var phones = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(Enumerable.Range(0, recipients + withoutConsent), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var phone = "+4915" + (recipients * 10 + i).ToString("D9", CultureInfo.InvariantCulture);
            var key = await directory.ResolveOrCreateByPhoneAsync(phone, ct);
            phones[phone.TrimStart('+')] = key;
            if (i < recipients)
            {
                // The consent head row as the ledger writes it, and its segment entry: the gate reads the head at
                // send time. Not through ConsentLedger.AppendAsync: its audit chain is one sequence, so seeding
                // 100,000 consents through it alone would take longer than the campaign.
                consented[i] = key;
                var head = new ConsentHead(ConsentPurpose.Marketing, ConsentStatus.Confirmed, DateTimeOffset.UtcNow.AddMinutes(-5), "bench-" + i, null, null);
                await consentTable.UpsertEntityAsync(
                    new TableEntity(key, "head:" + ConsentPurpose.Marketing)
                    {
                        ["Purpose"] = head.Purpose,
                        ["Status"] = head.Status.ToString(),
                        ["ChangedAt"] = head.ChangedAt,
                        ["LastEventId"] = head.LastEventId,
                        ["Sequence"] = 1L,
                    },
                    TableUpdateMode.Replace,
                    ct);
            }
        });

        // The segment entries (what ConsentSegmentIndex.ApplyAsync writes for a confirmed head) in entity-group
        // batches per shard partition: the same rows, a hundred to a request.
        var shards = consented.GroupBy(k => ConsentSegmentIndex.Partition(ConsentPurpose.Marketing, ConsentSegmentIndex.ShardOf(k)), StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(100).Select(chunk => chunk.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(g.Key, k)))));
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) => await consentTable.SubmitTransactionAsync(batch, ct));
        Console.Error.WriteLine($"[{recipients}@{rate}] seeded {recipients} consented + {withoutConsent} without consent in {clock.Elapsed.TotalSeconds:0} s");

        var worker = ActivatorUtilities.CreateInstance<WorkflowQueueWorker>(provider);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var operations = provider.GetRequiredService<CampaignOperations>();
            var (created, _, problem) = await operations.CreateAsync(
                new CreateCampaignBody("Bench", new CampaignTemplateRef("new_collection", "de"), ConsentPurpose.Marketing, new CampaignAudienceBody(null, null, new CampaignSegmentBody(ConsentPurpose.Marketing)), null),
                CancellationToken.None);
            if (created is null)
            {
                throw new InvalidOperationException(problem);
            }

            // People who withdraw after the audience was taken: the gate at send time must skip every one of them.
            var stopped = consented.Take(withdrawn).ToHashSet(StringComparer.Ordinal);
            await Parallel.ForEachAsync(stopped, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (key, ct) =>
            {
                var proof = new ConsentProof(ConsentSources.WhatsAppKeyword, ConsentChannels.WhatsApp, "STOP", null, "p1", "bench");
                await ledger.AppendAsync(key, new ConsentWithdrawn("bench-stop-" + key, ConsentPurpose.Marketing, DateTimeOffset.UtcNow, proof, WithdrawalReason.StopKeyword), ct);
            });
            Console.Error.WriteLine($"[{recipients}@{rate}] campaign {created.CampaignId}: {created.Eligible} eligible of {created.AudienceSize}; {stopped.Count} withdraw before the start");

            probe.Start();
            var started = Stopwatch.StartNew();
            var (_, conflict) = await operations.CommandAsync(created.CampaignId, "start", CancellationToken.None);
            if (conflict is not null)
            {
                throw new InvalidOperationException(conflict);
            }

            CampaignResponse campaign;
            while (true)
            {
                await Task.Delay(1000);
                try
                {
                    campaign = (await operations.GetAsync(created.CampaignId, CancellationToken.None))!;
                }
                catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or TaskCanceledException)
                {
                    // An overloaded Azurite times out now and then; the campaign goes on, so does the watching.
                    Console.Error.WriteLine($"[{recipients}@{rate}] {started.Elapsed.TotalSeconds:0} s: status not readable ({e.GetType().Name}), {graph.Messages} at Meta");
                    continue;
                }

                Console.Error.WriteLine($"[{recipients}@{rate}] {started.Elapsed.TotalSeconds:0} s: {campaign.Status}, {graph.Messages} at Meta, {campaign.Sent} sent (rolled up per dispatch), {probe.InFlight} HTTP requests in flight");
                if (campaign.Status is "completed" or "failed" or "cancelled" || started.Elapsed > TimeSpan.FromSeconds(Math.Max(600, 5.0 * recipients / rate)))
                {
                    break;
                }
            }

            var toCompleted = started.Elapsed.TotalSeconds;
            var (ownCpu, azuriteCpu) = probe.CpuSeconds();
            var sends = Math.Max(1, graph.Messages);
            Console.Error.WriteLine($"[{recipients}@{rate}] table requests during the campaign (the status polling every second included):");
            Console.Error.WriteLine(probe.Breakdown(sends));
            Console.Error.WriteLine($"[{recipients}@{rate}] CPU from start to completed: this process {ownCpu:0.0} s ({ownCpu / toCompleted:0.00} cores), Azurite's table process {azuriteCpu:0.0} s ({azuriteCpu / toCompleted:0.00} cores)");
            var window = graph.SendWindow.TotalSeconds;
            var achieved = window > 0 ? (graph.Messages - 1) / window : 0;
            var duplicates = graph.PerRecipient.Values.Sum(n => Math.Max(0, n - 1));
            var withoutConsentSends = graph.PerRecipient.Where(kv => !phones.TryGetValue(kv.Key, out var key) || stopped.Contains(key) || Array.IndexOf(consented, key) < 0).Sum(kv => kv.Value);
            var skipped = campaign.Skipped.GetValueOrDefault(CampaignSendOutcomes.WithdrawnDuringCampaign);
            var gaps = graph.Gaps;
            Console.Error.WriteLine($"[{recipients}@{rate}] pauses over 1 s between two sends (the limiter releases a second's sends at once, so shorter ones are its rhythm): {gaps.Count}, {gaps.Total.TotalSeconds:0.0} s in all, longest {gaps.Longest.TotalSeconds:0.00} s");
            Console.Error.WriteLine($"[{recipients}@{rate}] {campaign.Status}: {graph.Messages} sends, campaign says {campaign.Sent} sent, {JsonSerializer.Serialize(campaign.Skipped)} skipped, {JsonSerializer.Serialize(campaign.Failed.ByCode)} failed");
            var row = $"| {recipients:N0} | {rate:N0} | {recipients / (double)rate:0.0} s | {window:0.0} s | {achieved:0.0}/s | {100 * achieved / rate:0.0} % | {toCompleted:0.0} s | {duplicates} | {withoutConsentSends} | {skipped} | {(double)probe.TableRequests / sends:0.0} | {1000 * ownCpu / sends:0.0} / {1000 * azuriteCpu / sends:0.0} ms |";
            Console.Error.WriteLine(row);
            return row;
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A stand-in for Graph: the templates the sandbox serves, and a send endpoint that counts every message per recipient.</summary>
    private sealed class CampaignGraph : IAsyncDisposable
    {
        public const string Token = "bench-graph-token";
        public const string PhoneNumberId = "106540352242922";
        public const string BusinessAccountId = "102290129340398";

        private readonly WebApplication _app;
        private long _messages;
        private long _firstTicks;
        private long _lastTicks;

        private CampaignGraph(WebApplication app, Uri baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public long Messages => Interlocked.Read(ref _messages);

        public ConcurrentDictionary<string, int> PerRecipient { get; } = new(StringComparer.Ordinal);

        public TimeSpan SendWindow => TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref _lastTicks) - Interlocked.Read(ref _firstTicks)));

        /// <summary>Pauses of more than <see cref="GapThreshold"/> between two sends: where the rate was lost (between dispatches, mostly).</summary>
        public (int Count, TimeSpan Total, TimeSpan Longest) Gaps
        {
            get
            {
                lock (_gaps)
                {
                    return (_gaps.Count, TimeSpan.FromTicks(_gaps.Sum()), TimeSpan.FromTicks(_gaps.DefaultIfEmpty().Max()));
                }
            }
        }

        private static readonly long GapThreshold = TimeSpan.FromSeconds(1).Ticks;
        private readonly List<long> _gaps = [];

        public void NoteGap(long now)
        {
            var last = Interlocked.Read(ref _lastTicks);
            if (last != 0 && now - last > GapThreshold)
            {
                lock (_gaps)
                {
                    _gaps.Add(now - last);
                }
            }
        }

        public void Reset()
        {
            lock (_gaps)
            {
                _gaps.Clear();
            }

            PerRecipient.Clear();
            Interlocked.Exchange(ref _messages, 0);
            Interlocked.Exchange(ref _firstTicks, 0);
            Interlocked.Exchange(ref _lastTicks, 0);
        }

        public static async Task<CampaignGraph> StartAsync()
        {
            var port = ServerProcess.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var graph = new CampaignGraph(app, new Uri($"http://127.0.0.1:{port}/"));
            app.MapGet("/{version}/{businessAccountId}/message_templates", () => Results.Json(new { data = SandboxTemplates.All }));
            app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpRequest request) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                var to = body.RootElement.GetProperty("to").GetString() ?? "";
                var now = DateTime.UtcNow.Ticks;
                Interlocked.CompareExchange(ref graph._firstTicks, now, 0);
                graph.NoteGap(now);
                InterlockedMax(ref graph._lastTicks, now);
                Interlocked.Increment(ref graph._messages);
                graph.PerRecipient.AddOrUpdate(to.TrimStart('+'), 1, (_, n) => n + 1);
                return FakeGraph.Accepted(to);
            });
            await app.StartAsync();
            return graph;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        private static void InterlockedMax(ref long target, long value)
        {
            for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, current) == current)
                {
                    return;
                }
            }
        }
    }
}
