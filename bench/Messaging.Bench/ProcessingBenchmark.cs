using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Configuration;
using Messaging.Shared.Messages;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace Messaging.Bench;

/// <summary>
/// The inbound processing benchmark (docs/performance.md): the Azurite insert floor, processing throughput for
/// returning customers, ack latency and processing lag at a steady rate while processing runs, and the crash trial.
/// Every phase runs the real LocalHost Release build as its own process against the same Azurite.
/// </summary>
internal static class ProcessingBenchmark
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Why posts failed, by HTTP status or exception type, for the report.</summary>
    internal static System.Collections.Concurrent.ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    public static async Task<int> RunAsync(ProcessingBenchOptions options)
    {
        ThreadPool.SetMinThreads(64, 64);
        AzuritePid = options.AzuritePid;
        await using var graph = await FakeGraph.StartAsync();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores ({RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}), shared by Azurite, LocalHost, the fake Cloud API and the load generator, and with other work on this VM: each figure says how much CPU other processes used while it was measured.");
        report.AppendLine();

        double? floor = null;
        if (options.Runs("throughput"))
        {
            floor = await FloorAsync(options, report);
            await ThroughputAsync(options, graph, floor.Value, report);
        }

        if (options.Runs("ack"))
        {
            await AckWhileProcessingAsync(options, graph, report);
        }

        if (options.Runs("crash"))
        {
            await CrashTrial.RunAsync(options, graph, report);
        }

        if (options.Runs("fuzz"))
        {
            await FuzzRun.RunAsync(options, graph, report);
        }

        if (options.Runs("outage"))
        {
            await OutageTrial.RunAsync(options, graph, report);
        }

        var text = report.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, text);
            Log($"report written to {path}");
        }

        return 0;
    }

    private static async Task<double> FloorAsync(ProcessingBenchOptions options, StringBuilder report)
    {
        var rates = new List<(double Rate, double Foreign)>();
        for (var round = 1; round <= 2; round++)
        {
            var cpu = Meter(options);
            await cpu.WaitForQuietAsync(TimeSpan.FromSeconds(8));
            Log($"insert floor, round {round}");
            var before = cpu.Snapshot();
            var started = Stopwatch.GetTimestamp();
            var rate = await InsertFloor.MeasureAsync(options.StorageConnectionString, "benchfloor" + Guid.NewGuid().ToString("N")[..8], 3000, 16);
            rates.Add((rate, CpuMeter.ForeignPercent(before, cpu.Snapshot(), Stopwatch.GetElapsedTime(started).TotalSeconds)));
        }

        var best = rates.Max(r => r.Rate);
        report.AppendLine("### Azurite table-insert floor (same run)");
        report.AppendLine();
        report.AppendLine("3 000 inserts of message-sized rows (~1.5 KB), each in its own partition, 16 in flight, no app code:");
        report.AppendLine();
        report.AppendLine("| round | inserts/s | CPU used by other processes |");
        report.AppendLine("|---:|---:|---:|");
        for (var i = 0; i < rates.Count; i++)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {rates[i].Rate:0} | {rates[i].Foreign:0} % |");
        }

        report.AppendLine();
        return best;
    }

    private static async Task ThroughputAsync(ProcessingBenchOptions options, FakeGraph graph, double floor, StringBuilder report)
    {
        var appSecret = LocalHostSettings.Secret();
        var prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        var settings = LocalHostSettings.For(options.StorageConnectionString, appSecret, LocalHostSettings.Secret(), prefix, processing: true).WithGraph(graph.BaseAddress);
        var webhooks = new CustomerWebhooks(appSecret, 4915200000000L);
        var storage = Storage(options, prefix);
        graph.Reset();
        await using var host = await ServerProcess.StartAsync([options.LocalHostDll], settings, "/api/health");
        using var client = Client(host);

        Log($"warm-up: {options.Customers} customers write for the first time");
        await PostAllAsync(client, Enumerable.Range(0, options.Customers).Select(c => webhooks.Message(c, CustomerWebhooks.NewWamid())).ToList(), 16);
        await WaitForAsync(() => DrainedAsync(storage, options.Customers), TimeSpan.FromMinutes(3), "warm-up messages to be processed");

        var total = options.Customers * options.MessagesPerCustomer;
        var bodies = Enumerable.Range(0, total).Select(i => webhooks.Message(i % options.Customers, CustomerWebhooks.NewWamid())).ToList();
        var meter = Meter(options, host.Id);
        await meter.WaitForQuietAsync(TimeSpan.FromSeconds(8));
        Log($"{total} messages of returning customers, 16 webhooks in flight, processing running");
        var before = meter.Snapshot();
        var (hostCpu, azuriteCpu, benchCpu) = (CpuMeter.ProcessCpu(host.Id), CpuMeter.ProcessCpu(AzuritePid ?? 0), CpuMeter.ProcessCpu(Environment.ProcessId));
        var startedAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        await PostAllAsync(client, bodies, 16);
        var ackSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await WaitForAsync(() => DrainedAsync(storage, options.Customers + total), TimeSpan.FromMinutes(10), "the messages to be processed");
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var foreign = CpuMeter.ForeignPercent(before, meter.Snapshot(), wall);
        hostCpu = CpuMeter.ProcessCpu(host.Id) - hostCpu;
        azuriteCpu = CpuMeter.ProcessCpu(AzuritePid ?? 0) - azuriteCpu;
        benchCpu = CpuMeter.ProcessCpu(Environment.ProcessId) - benchCpu;

        var stamps = (await ReceivedAtAsync(storage)).Where(t => t >= startedAt).Order().ToList();
        var perSecond = (stamps.Count - 1) / (stamps[^1] - stamps[0]).TotalSeconds;
        report.AppendLine("### Processing throughput, returning customers");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"{options.Customers} customers who wrote before (contacts, data keys and privacy notices exist) send {total} text messages, one per webhook, 16 webhooks in flight (each posted again until acknowledged), into a LocalHost that processes them meanwhile. Processed rate = stored messages between the first and the last commit; ack rate = webhooks acknowledged per second of posting.");
        report.AppendLine();
        report.AppendLine("| stored | processed message events/s | acks/s meanwhile | floor inserts/s | processed / floor | last commit after first post | CPU used by other processes |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {stamps.Count} | **{perSecond:0}** | {total / ackSeconds:0} | {floor:0} | {perSecond / floor:P0} | {(stamps[^1] - startedAt).TotalSeconds:0.0} s | {foreign:0} % |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"CPU per 1 000 webhooks (ack and processing): LocalHost {hostCpu.TotalSeconds * 1000 / total:0.00} s, Azurite {azuriteCpu.TotalSeconds * 1000 / total:0.00} s, load generator {benchCpu.TotalSeconds * 1000 / total:0.00} s.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Privacy notices the fake Cloud API accepted for these {options.Customers} customers: {graph.NoticesByRecipient.Values.Sum()} (one each expected).");
        report.AppendLine();
    }

    private static async Task AckWhileProcessingAsync(ProcessingBenchOptions options, FakeGraph graph, StringBuilder report)
    {
        var appSecret = LocalHostSettings.Secret();
        var pepper = LocalHostSettings.Secret();
        var prefix = "a" + Guid.NewGuid().ToString("N")[..8];
        var settings = LocalHostSettings.For(options.StorageConnectionString, appSecret, pepper, prefix, processing: true).WithGraph(graph.BaseAddress);
        var webhooks = new CustomerWebhooks(appSecret, 4915300000000L);
        var storage = Storage(options, prefix);
        await using var host = await ServerProcess.StartAsync([options.LocalHostDll], settings, "/api/health");
        using var client = Client(host);

        Log($"warm-up: {options.Customers} customers write for the first time");
        await PostAllAsync(client, Enumerable.Range(0, options.Customers).Select(c => webhooks.Message(c, CustomerWebhooks.NewWamid())).ToList(), 16);
        await WaitForAsync(() => DrainedAsync(storage, options.Customers), TimeSpan.FromMinutes(3), "warm-up messages to be processed");

        var count = (int)(options.AckRate * options.AckSeconds);
        var wamids = Enumerable.Range(0, count).Select(_ => CustomerWebhooks.NewWamid()).ToArray();
        var bodies = wamids.Select((w, i) => webhooks.Message(i % options.Customers, w)).ToArray();
        var cpu = Meter(options, host.Id);
        await cpu.WaitForQuietAsync(TimeSpan.FromSeconds(8));
        Log($"open loop {options.AckRate}/s for {options.AckSeconds}s with processing running");
        var before = cpu.Snapshot();
        var (intendedUtc, latencies) = await OpenLoopAsync(client, bodies, options.AckRate);
        await WaitForAsync(() => DrainedAsync(storage, options.Customers + count), TimeSpan.FromMinutes(5), "the open-loop messages to be processed");
        var foreign = CpuMeter.ForeignPercent(before, cpu.Snapshot(), options.AckSeconds);

        var hasher = new KeyedHasher(Convert.FromBase64String(pepper));
        var received = await ReceivedAtByRowAsync(storage);
        var lags = new List<double>();
        for (var i = 0; i < count; i++)
        {
            if (received.TryGetValue("m-" + hasher.Hash("wamid", wamids[i]), out var at))
            {
                lags.Add((at - intendedUtc[i]).TotalMilliseconds);
            }
        }

        var ok = latencies.Where(l => l >= 0).ToList();
        var failures = string.Join(", ", Failures.Select(f => $"{f.Key} x{f.Value}"));
        Failures.Clear();
        report.AppendLine(CultureInfo.InvariantCulture, $"### Ack and processing lag at {options.AckRate:0} webhooks/s while processing runs");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Open loop: one text message of a returning customer every {1000 / options.AckRate:0} ms for {options.AckSeconds:0} s, into a LocalHost whose processor runs in the same process. Ack latency from the intended send time; lag from the intended send time to the moment the processor committed the message.");
        report.AppendLine();
        report.AppendLine("| measured | count | p50 ms | p90 ms | p99 ms | max ms | errors | CPU used by other processes |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| ack | {ok.Count} | {Pct(ok, 50):0.0} | {Pct(ok, 90):0.0} | **{Pct(ok, 99):0.0}** | {Pct(ok, 100):0.0} | {latencies.Count(l => l < 0)} | {foreign:0} % |");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| processing lag | {lags.Count} | {Pct(lags, 50):0.0} | {Pct(lags, 90):0.0} | **{Pct(lags, 99):0.0}** | {Pct(lags, 100):0.0} | {count - lags.Count} not found | |");
        report.AppendLine();
        if (failures.Length > 0)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"Failed posts (retried by nobody in this phase): {failures}.");
            report.AppendLine();
        }
    }

    /// <summary>Sends on a fixed schedule, whatever the server does; latencies in ms from the intended time, -1 for errors.</summary>
    internal static async Task<(DateTimeOffset[] IntendedUtc, List<double> Latencies)> OpenLoopAsync(HttpClient client, SignedWebhook[] bodies, double rate)
    {
        var count = bodies.Length;
        var latencies = new double[count];
        var intendedUtc = new DateTimeOffset[count];
        var requests = new Task[count];
        var startTicks = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50;
        var startUtc = DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(20);
        var interval = Stopwatch.Frequency / rate;
        for (var i = 0; i < count; i++)
        {
            var intended = startTicks + (long)(i * interval);
            intendedUtc[i] = startUtc + TimeSpan.FromSeconds(i / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
            }

            // Timers may wake a little early; never send before the intended time.
            while (Stopwatch.GetTimestamp() < intended)
            {
                await Task.Yield();
            }

            var index = i;
            requests[i] = Task.Run(async () =>
            {
                var ok = await PostOnceAsync(client, bodies[index]);
                latencies[index] = ok ? Stopwatch.GetElapsedTime(intended).TotalMilliseconds : -1;
            });
        }

        await Task.WhenAll(requests);
        return (intendedUtc, [.. latencies]);
    }

    internal static async Task<bool> PostOnceAsync(HttpClient client, SignedWebhook webhook)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/webhook") { Content = new ByteArrayContent(webhook.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", webhook.Signature);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Failures.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
            }

            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Failures.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
            return false;
        }
    }

    /// <summary>Posts every webhook until it is acknowledged, as Meta retries, with <paramref name="inFlight"/> at a time.</summary>
    internal static async Task PostAllAsync(HttpClient client, IReadOnlyList<SignedWebhook> webhooks, int inFlight, Action? onAck = null)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < webhooks.Count)
            {
                while (!await PostOnceAsync(client, webhooks[i]))
                {
                    await Task.Delay(200);
                }

                onAck?.Invoke();
            }
        }));
    }

    internal static HttpClient Client(ServerProcess server) => new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = server.BaseAddress,
        Timeout = TimeSpan.FromSeconds(15),
    };

    internal static StorageClients Storage(ProcessingBenchOptions options, string prefix) =>
        new(Options.Create(new StorageOptions { ConnectionString = options.StorageConnectionString, NamePrefix = prefix }));

    /// <summary>True once the inbound and outbound queues are empty and the Messages table holds <paramref name="messages"/> inbound rows.</summary>
    internal static async Task<bool> DrainedAsync(StorageClients storage, int messages)
    {
        try
        {
            foreach (var queue in new[] { StorageNames.InboundQueue, StorageNames.OutboundQueue })
            {
                if ((await storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
                {
                    return false;
                }
            }

            return (await ReceivedAtAsync(storage)).Count >= messages;
        }
        catch (Azure.RequestFailedException)
        {
            return false;
        }
    }

    internal static async Task<List<DateTimeOffset>> ReceivedAtAsync(StorageClients storage) => [.. (await ReceivedAtByRowAsync(storage)).Values];

    internal static async Task<Dictionary<string, DateTimeOffset>> ReceivedAtByRowAsync(StorageClients storage)
    {
        var rows = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var table in MessageTables.All)
        {
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>(e => e.RowKey.CompareTo("m-") >= 0 && e.RowKey.CompareTo("m.") < 0, select: ["RowKey", "ReceivedAt", "Direction"]))
            {
                if (row.GetString("Direction") == "in" && row.GetDateTimeOffset("ReceivedAt") is { } at)
                {
                    rows[row.RowKey] = at;
                }
            }
        }

        return rows;
    }

    internal static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>The Azurite the phases use now: the outage trial and the fuzz run start it again under a new id.</summary>
    internal static int? AzuritePid { get; set; }

    internal static CpuMeter Meter(ProcessingBenchOptions options, params int[] pids) =>
        new(pids.Append(AzuritePid ?? options.AzuritePid ?? 0).Where(p => p != 0).ToArray());

    internal static double Pct(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    internal static Uri TablesEndpoint(ProcessingBenchOptions options) =>
        new(options.StorageConnectionString.Split(';').First(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal))["TableEndpoint=".Length..]);

    internal static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
