using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues;
using Messaging.Shared.Storage;

namespace Messaging.Bench;

/// <summary>
/// Starts the real LocalHost (processing disabled, so only the ack is measured) and the floor, warms both up,
/// then measures them in alternating rounds on the same Azurite: open loop at each target rate, then closed-loop
/// saturation. Prints a Markdown report (and writes it to --markdown when given).
/// </summary>
internal static class AckBenchmark
{
    private const double GoalP99Ms = 50;
    private const double GoalRatio = 0.70;

    private sealed record Target(string Name, ServerProcess Server, LoadGenerator Load, Payloads Payloads, QueueClient Queue);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        ThreadPool.SetMinThreads(64, 64);
        var appSecret = Secret();
        var prefix = "b" + Guid.NewGuid().ToString("N")[..8];
        var common = new Dictionary<string, string> { ["Storage__ConnectionString"] = options.StorageConnectionString };

        Log("starting LocalHost (Processing__Enabled=false) and the floor");
        await using var localHost = await ServerProcess.StartAsync([options.LocalHostDll], LocalHostSettings(common, appSecret, prefix, processing: false), "/api/health");
        var benchDll = typeof(AckBenchmark).Assembly.Location;
        await using var floor = await ServerProcess.StartAsync(
            [benchDll, "floor"],
            new Dictionary<string, string>(common) { ["Floor__Queue"] = prefix + "-floor" },
            "/health");

        var cpu = new CpuMeter(new[] { localHost.Id, floor.Id, options.AzuritePid ?? 0 }.Where(p => p != 0).ToArray());
        var targets = new List<Target>
        {
            NewTarget("LocalHost ack", localHost, "/api/whatsapp/webhook", appSecret, InboundQueue(options, prefix)),
            NewTarget("floor (1 queue put)", floor, "/webhook", appSecret, new QueueClient(options.StorageConnectionString, prefix + "-floor")),
        };

        try
        {
            var report = new StringBuilder();
            var sampleSize = new Payloads(appSecret).Next().Body.Length;
            report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} logical cores ({RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}), shared by Azurite, both servers and the load generator.");
            report.AppendLine(CultureInfo.InvariantCulture, $"Payload: signed text-message webhook, {sampleSize} bytes, unique wamid each. Rounds alternate the targets; {options.Rounds} rounds per measurement.");
            report.AppendLine();

            foreach (var target in targets)
            {
                Log($"warming up {target.Name} ({options.WarmupSeconds}s)");
                await target.Load.ClosedLoopAsync(target.Payloads, 8, options.WarmupSeconds, 0, null);
                await target.Load.OpenLoopAsync(target.Payloads, options.Rates.Max(), 2, new Sample());
            }

            var openLoop = new List<(double Rate, Target Target, Sample Sample)>();
            foreach (var rate in options.Rates)
            {
                var samples = await AlternateAsync(targets, cpu, options.Rounds, $"open loop {rate}/s",
                    (t, s) => t.Load.OpenLoopAsync(t.Payloads, rate, options.RoundSeconds, s));
                openLoop.AddRange(targets.Select((t, i) => (rate, t, samples[i])));
            }

            var saturation = await AlternateAsync(targets, cpu, options.Rounds, $"saturation, {options.Concurrency} in flight",
                (t, s) => t.Load.ClosedLoopAsync(t.Payloads, options.Concurrency, options.SaturationSeconds, 1, s));

            report.AppendLine(CultureInfo.InvariantCulture, $"Open loop ({options.Rounds} x {options.RoundSeconds:0.#} s per target and rate; latency from the intended send time):");
            report.AppendLine();
            AppendTable(report, openLoop.Select(r => (r.Target.Name, r.Rate.ToString("0", CultureInfo.InvariantCulture), r.Sample)));
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Saturation (closed loop, {options.Concurrency} requests in flight, {options.Rounds} x {options.SaturationSeconds:0.#} s per target after a 1 s ramp):");
            report.AppendLine();
            AppendTable(report, targets.Select((t, i) => (t.Name, "max", saturation[i])));
            report.AppendLine();

            report.AppendLine("Every round on its own (the rows above merge them):");
            report.AppendLine();
            AppendTable(report, RoundRows.Select(r => (r.Name, r.What, r.Sample)), "measurement");
            report.AppendLine();

            var ratio = saturation[0].AchievedPerSecond / saturation[1].AchievedPerSecond;
            var ours500 = openLoop.Where(r => r.Target == targets[0]).OrderBy(r => Math.Abs(r.Rate - 500)).First();
            var p99 = ours500.Sample.PercentileMs(99);
            var clean = ours500.Sample.Errors == 0 && ours500.Sample.AchievedPerSecond >= 0.97 * ours500.Rate;
            report.AppendLine(CultureInfo.InvariantCulture, $"Saturated throughput, LocalHost ack / floor: **{ratio:P0}** (goal >= {GoalRatio:P0}: {(ratio >= GoalRatio ? "met" : "missed")}).");
            report.AppendLine(CultureInfo.InvariantCulture, $"LocalHost ack p99 at {ours500.Rate:0}/s: **{p99:0.0} ms** (goal < {GoalP99Ms:0} ms with no errors: {(p99 < GoalP99Ms && clean ? "met" : "missed")}).");

            if (options.WithProcessing)
            {
                await using var processing = await ServerProcess.StartAsync(
                    [options.LocalHostDll], LocalHostSettings(common, appSecret, prefix + "p", processing: true), "/api/health");
                var withProcessing = NewTarget("LocalHost ack, processing on", processing, "/api/whatsapp/webhook", appSecret, InboundQueue(options, prefix + "p"));
                try
                {
                    Log("warming up LocalHost with processing enabled");
                    await withProcessing.Load.ClosedLoopAsync(withProcessing.Payloads, 8, options.WarmupSeconds, 0, null);
                    var rate = options.Rates.Max();
                    var sample = new Sample();
                    var cpuWithProcessing = new CpuMeter(new[] { processing.Id, options.AzuritePid ?? 0 }.Where(p => p != 0).ToArray());
                    for (var round = 1; round <= options.Rounds; round++)
                    {
                        await ResetQueuesAsync([withProcessing]);
                        Log($"open loop {rate}/s with processing enabled, round {round}");
                        var before = cpuWithProcessing.Snapshot();
                        var started = System.Diagnostics.Stopwatch.GetTimestamp();
                        await withProcessing.Load.OpenLoopAsync(withProcessing.Payloads, rate, options.RoundSeconds, sample);
                        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                        sample.AddForeignCpu(CpuMeter.ForeignPercent(before, cpuWithProcessing.Snapshot(), seconds), seconds);
                    }

                    report.AppendLine();
                    report.AppendLine("With the inbound processor enabled in the same process (it drains the queue, parses, encrypts and writes tables while the ack runs):");
                    report.AppendLine();
                    AppendTable(report, [(withProcessing.Name, rate.ToString("0", CultureInfo.InvariantCulture), sample)]);
                }
                finally
                {
                    withProcessing.Load.Dispose();
                }
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
        finally
        {
            foreach (var target in targets)
            {
                target.Load.Dispose();
            }
        }
    }

    private static async Task<Sample[]> AlternateAsync(List<Target> targets, CpuMeter cpu, int rounds, string what, Func<Target, Sample, Task> measure)
    {
        var samples = targets.Select(_ => new Sample()).ToArray();
        var rows = new List<(string, string, Sample)>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate who goes first, so neither target always runs on the emptier (or warmer) Azurite.
            var order = Enumerable.Range(0, targets.Count).ToArray();
            if (round % 2 == 1)
            {
                Array.Reverse(order);
            }

            foreach (var i in order)
            {
                await ResetQueuesAsync(targets);
                var quiet = await cpu.WaitForQuietAsync(TimeSpan.FromSeconds(8));
                Log($"(other processes at {quiet:0}% CPU)");
                Log($"{what}: {targets[i].Name}, round {round + 1}/{rounds}");
                var before = cpu.Snapshot();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var single = new Sample();
                await measure(targets[i], single);
                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                var foreign = CpuMeter.ForeignPercent(before, cpu.Snapshot(), seconds);
                single.AddForeignCpu(foreign, single.Seconds);
                samples[i].Merge(single);
                rows.Add(($"{targets[i].Name}, round {round + 1}", what, single));
                Log($"  {single.Latencies.Count} acks, other processes used {foreign:0}% of the CPU");
            }
        }

        RoundRows.AddRange(rows);
        return samples;
    }

    /// <summary>Every single round, for the detail table: contention from outside hits rounds unevenly.</summary>
    private static readonly List<(string Name, string What, Sample Sample)> RoundRows = [];

    private static void AppendTable(StringBuilder report, IEnumerable<(string Name, string Offered, Sample Sample)> rows, string column = "offered req/s")
    {
        report.AppendLine($"| target | {column} | achieved acks/s | p50 ms | p90 ms | p99 ms | max ms | errors | CPU used by other processes |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, offered, s) in rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {offered} | {s.AchievedPerSecond:0} | {s.PercentileMs(50):0.0} | {s.PercentileMs(90):0.0} | {s.PercentileMs(99):0.0} | {s.PercentileMs(100):0.0} | {s.Errors} | {s.ForeignCpuPercent:0} % |");
        }
    }

    private static Target NewTarget(string name, ServerProcess server, string path, string appSecret, QueueClient queue) =>
        new(name, server, new LoadGenerator(new Uri(server.BaseAddress, path)), new Payloads(appSecret), queue);

    private static QueueClient InboundQueue(BenchOptions options, string prefix) =>
        new(options.StorageConnectionString, (prefix + StorageNames.InboundQueue).ToLowerInvariant());

    /// <summary>
    /// Azurite keeps queue metadata in one LokiJS database that it serialises as a whole every 5 s on its only
    /// thread, so its pauses grow with the number of messages it holds. Real Azure Storage does not care how
    /// long a queue is; emptying the queues before each measurement keeps that emulator artefact equal and small.
    /// </summary>
    private static async Task ResetQueuesAsync(IEnumerable<Target> targets)
    {
        foreach (var target in targets)
        {
            await target.Queue.ClearMessagesAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private static Dictionary<string, string> LocalHostSettings(Dictionary<string, string> common, string appSecret, string prefix, bool processing) =>
        new(common)
        {
            ["Meta__AppSecret"] = appSecret,
            ["Meta__VerifyToken"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Security__Pepper"] = Secret(),
            ["Security__MasterKey"] = Secret(),
            ["Storage__NamePrefix"] = prefix,
            ["Api__Key"] = "bench-" + Guid.NewGuid().ToString("N"),
            ["Processing__Enabled"] = processing ? "true" : "false",
            // A production-like host refuses to start without the consent wording every proof references.
            ["Consent__BusinessName"] = "Bench Bakery",
            ["Consent__BusinessPhoneNumber"] = "4930901820",
            ["Consent__PrivacyNoticeUrl"] = "https://bench.example/privacy",
            ["Consent__PrivacyNoticeVersion"] = "bench-1",
            ["Consent__ConsentTextVersion"] = "bench-1",
            ["Consent__MarketingConsentTextDe"] = "Ja, ich möchte Angebote per WhatsApp.",
            ["Consent__MarketingConsentTextEn"] = "Yes, I want offers on WhatsApp.",
        };

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
