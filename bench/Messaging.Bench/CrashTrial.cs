using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Messaging.Shared.Storage;

namespace Messaging.Bench;

/// <summary>
/// New customers write in while LocalHost is killed with SIGKILL twice (each webhook retried until acknowledged, as
/// Meta does); then every webhook is delivered once more. Counted afterwards: messages stored, contacts created, and
/// privacy notices the fake Cloud API accepted per customer (lost = none, doubled = more than one). A notice whose
/// send may have reached Meta just before a kill is recorded by the outbox as Unknown and not resent, by design:
/// such customers are counted apart ("in doubt") when the fake Cloud API never saw their notice.
/// </summary>
internal static class CrashTrial
{
    private sealed record Result(int Trial, int Stored, int Contacts, int NoticesLost, int NoticesDoubled, int InDoubt, Dictionary<string, int> OutboxStates, double Seconds, double ForeignCpu);

    public static async Task RunAsync(ProcessingBenchOptions options, FakeGraph graph, StringBuilder report)
    {
        var results = new List<Result>();
        for (var trial = 1; trial <= options.CrashTrials; trial++)
        {
            results.Add(await RunOneAsync(options, graph, trial));
        }

        var n = options.CrashCustomers;
        report.AppendLine("### Crash trial");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"{n} new customers write once each (16 webhooks in flight, each retried until acknowledged). LocalHost is killed with SIGKILL after a random third and again after a random two thirds of the acks and restarted at once on the same port; after the last ack every webhook is delivered a second time. Then the trial waits until both queues are empty and every message is stored.");
        report.AppendLine();
        report.AppendLine("| trial | messages stored | contacts | notices lost | notices doubled | in doubt (Unknown, not seen by Meta) | outbox rows by state | seconds | CPU used by other processes |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in results)
        {
            var states = string.Join(", ", r.OutboxStates.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"));
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Trial} | {r.Stored}/{n} | {r.Contacts} | {r.NoticesLost} | {r.NoticesDoubled} | {r.InDoubt} | {states} | {r.Seconds:0} | {r.ForeignCpu:0} % |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Over {results.Count} trials: **{results.Sum(r => n - r.Stored)} messages lost, {results.Sum(r => Math.Max(0, r.Contacts - n))} contacts doubled, {results.Sum(r => r.NoticesLost)} notices lost, {results.Sum(r => r.NoticesDoubled)} notices doubled**, {results.Sum(r => r.InDoubt)} in doubt.");
        report.AppendLine();
    }

    private static async Task<Result> RunOneAsync(ProcessingBenchOptions options, FakeGraph graph, int trial)
    {
        var appSecret = LocalHostSettings.Secret();
        var prefix = "c" + Guid.NewGuid().ToString("N")[..8];
        var pepper = LocalHostSettings.Secret();
        var settings = LocalHostSettings.For(options.StorageConnectionString, appSecret, pepper, prefix, processing: true).WithGraph(graph.BaseAddress);
        // Short outbound timings so an attempt cut off by a kill turns Unknown within the trial, not after 10 minutes.
        settings["Outbound__AttemptTimeout"] = "00:00:05";
        settings["Outbound__TotalTimeout"] = "00:00:10";
        settings["Outbound__AttemptingStaleAfter"] = "00:00:45";
        var webhooks = new CustomerWebhooks(appSecret, 4915400000000L + (trial * 100_000L));
        var storage = ProcessingBenchmark.Storage(options, prefix);
        var customers = options.CrashCustomers;
        var bodies = Enumerable.Range(0, customers).Select(c => webhooks.Message(c, CustomerWebhooks.NewWamid())).ToList();
        graph.Reset();

        var port = ServerProcess.FreePort();
        var host = await ServerProcess.StartAsync([options.LocalHostDll], settings, "/api/health", port);
        var meter = ProcessingBenchmark.Meter(options);
        var before = meter.Snapshot();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var kills = new[] { Random.Shared.Next(customers / 5, customers * 2 / 5), Random.Shared.Next(customers * 3 / 5, customers * 4 / 5) };
        ProcessingBenchmark.Log($"crash trial {trial}: kills after {kills[0]} and {kills[1]} acks");
        var acked = 0;
        var restarting = new SemaphoreSlim(1, 1);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(15),
        };

        var restarts = new List<Task>();
        try
        {
            await ProcessingBenchmark.PostAllAsync(client, bodies, 16, () =>
            {
                var now = Interlocked.Increment(ref acked);
                if (kills.Contains(now))
                {
                    lock (restarts)
                    {
                        restarts.Add(RestartAsync());
                    }
                }
            });
            await Task.WhenAll(restarts.ToArray());

            ProcessingBenchmark.Log($"crash trial {trial}: full redelivery");
            await ProcessingBenchmark.PostAllAsync(client, bodies, 16);
            await ProcessingBenchmark.WaitForAsync(() => ProcessingBenchmark.DrainedAsync(storage, customers), TimeSpan.FromMinutes(5), "the crash trial to settle");
            // Sends run after the inbound commit; give a last retry round time to land.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await ProcessingBenchmark.WaitForAsync(() => ProcessingBenchmark.DrainedAsync(storage, customers), TimeSpan.FromMinutes(5), "the crash trial to settle");
        }
        finally
        {
            await host.DisposeAsync();
        }

        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var foreign = CpuMeter.ForeignPercent(before, meter.Snapshot(), seconds);
        var stored = (await ProcessingBenchmark.ReceivedAtAsync(storage)).Count;
        var contacts = 0;
        await foreach (var _ in storage.Table(StorageNames.ContactsTable).QueryAsync<TableEntity>(e => e.RowKey == "profile", select: ["PartitionKey"]))
        {
            contacts++;
        }

        var states = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.OutboxTable).QueryAsync<TableEntity>(select: ["PartitionKey", "State"]))
        {
            if (row.GetString("State") is { } state)
            {
                states[state] = states.GetValueOrDefault(state) + 1;
            }
        }

        var notices = graph.NoticesByRecipient;
        var hasher = new Messaging.Shared.Security.KeyedHasher(Convert.FromBase64String(pepper));
        var outbox = storage.Table(StorageNames.OutboxTable);
        int lost = 0, inDoubt = 0;
        foreach (var customer in Enumerable.Range(0, customers).Where(c => notices.GetValueOrDefault("+" + webhooks.WaId(c)) == 0))
        {
            // The keys the app derives: contact key minted from the number, notice send id per contact.
            var contactKey = hasher.Hash("contact", "phone:+" + webhooks.WaId(customer));
            var row = await outbox.GetEntityIfExistsAsync<TableEntity>(contactKey, hasher.Hash("outbox-send", "privacy-notice:" + contactKey));
            if (row.HasValue && row.Value!.GetString("State") is "Unknown" or "Attempting")
            {
                inDoubt++;
            }
            else
            {
                lost++;
            }
        }

        var doubled = Enumerable.Range(0, customers).Count(c => notices.GetValueOrDefault("+" + webhooks.WaId(c)) > 1);
        ProcessingBenchmark.Log($"crash trial {trial}: {stored} stored, {contacts} contacts, {lost} notices lost, {inDoubt} in doubt, {doubled} doubled");
        return new Result(trial, stored, contacts, lost, doubled, inDoubt, states, seconds, foreign);

        async Task RestartAsync()
        {
            await restarting.WaitAsync();
            try
            {
                host.Kill();
                await host.DisposeAsync();
                host = await ServerProcess.StartAsync([options.LocalHostDll], settings, "/api/health", port);
            }
            finally
            {
                restarting.Release();
            }
        }
    }
}
