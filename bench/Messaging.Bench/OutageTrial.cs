using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Messaging.Bench;

/// <summary>
/// New customers write in while Azurite is frozen (SIGSTOP) for 10 s, and in a second trial while it is stopped
/// (SIGTERM) and started again 10 s later. Each webhook is posted until acknowledged, one second apart, as Meta
/// retries. Counted: how the ack answered during the outage and how long its slowest answer took, then messages
/// stored and privacy notices lost or doubled once everything has drained. Runs last: it interrupts the shared Azurite.
/// </summary>
internal static class OutageTrial
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task RunAsync(ProcessingBenchOptions options, FakeGraph graph, StringBuilder report)
    {
        if (ProcessingBenchmark.AzuritePid is not { } azurite)
        {
            throw new InvalidOperationException("The outage trial needs --azurite-pid.");
        }

        report.AppendLine("### Storage outage");
        report.AppendLine();
        report.AppendLine("200 new customers write once each, 20 webhooks a second, each posted again a second after any answer but 200 (as Meta retries); 3 s in, Azurite is frozen (SIGSTOP) or stopped (SIGTERM, then started again with the same data) for 10 s. The ack waits at most 3 s for storage and then answers 503.");
        report.AppendLine();
        report.AppendLine("| outage (a stopped Azurite takes a few seconds to exit before it can start again) | first 200 after storage was back | answers while storage was away (and 3 s after) | slowest answer | first 503 after the outage began | stored | notices lost | notices doubled | until drained | CPU used by other processes |");
        report.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        azurite = await OneAsync(options, graph, report, azurite, frozen: true);
        ProcessingBenchmark.AzuritePid = await OneAsync(options, graph, report, azurite, frozen: false);
        report.AppendLine();
    }


    private static async Task<int> OneAsync(ProcessingBenchOptions options, FakeGraph graph, StringBuilder report, int azurite, bool frozen)
    {
        const int customers = 200;
        var appSecret = LocalHostSettings.Secret();
        var prefix = "o" + Guid.NewGuid().ToString("N")[..8];
        var settings = LocalHostSettings.For(options.StorageConnectionString, appSecret, LocalHostSettings.Secret(), prefix, processing: true).WithGraph(graph.BaseAddress);
        var webhooks = new CustomerWebhooks(appSecret, frozen ? 4915600000000L : 4915700000000L);
        var storage = ProcessingBenchmark.Storage(options, prefix);
        graph.Reset();
        await using var host = await ServerProcess.StartAsync([options.LocalHostDll], settings, "/api/health");
        using var client = ProcessingBenchmark.Client(host);
        client.Timeout = TimeSpan.FromSeconds(30);

        var answers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var slowest = 0.0;
        DateTime? outageFrom = null, outageTo = null, first503 = null, firstOkAfter = null;
        var started = Stopwatch.GetTimestamp();
        var meter = ProcessingBenchmark.Meter(options, host.Id);
        var before = meter.Snapshot();
        ProcessingBenchmark.Log($"outage trial ({(frozen ? "frozen" : "stopped")})");
        var outage = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            outageFrom = DateTime.UtcNow;
            string[]? command = null;
            if (frozen)
            {
                AzuriteRestart.Signal(azurite, "STOP");
            }
            else
            {
                command = AzuriteRestart.CommandOf(azurite);
                AzuriteRestart.Signal(azurite, "TERM", wholeGroup: false);
            }

            await Task.Delay(TimeSpan.FromSeconds(10));
            if (frozen)
            {
                AzuriteRestart.Signal(azurite, "CONT");
            }
            else
            {
                while (File.Exists($"/proc/{azurite}/stat"))
                {
                    await Task.Delay(100);
                }

                azurite = await AzuriteRestart.StartAsync(command!, freshData: false, ProcessingBenchmark.TablesEndpoint(options));
            }

            outageTo = DateTime.UtcNow;
        });

        var posts = Enumerable.Range(0, customers).Select(async c =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(c * 50));
            var webhook = webhooks.Message(c, CustomerWebhooks.NewWamid());
            while (true)
            {
                var sent = Stopwatch.GetTimestamp();
                var status = await PostAsync(client, webhook);
                var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                var now = DateTime.UtcNow;
                var during = outageFrom is { } from && now >= from && (outageTo is not { } to || now <= to + TimeSpan.FromSeconds(3));
                if (during)
                {
                    answers.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status == "503")
                    {
                        lock (answers)
                        {
                            first503 ??= now;
                        }
                    }
                }

                lock (answers)
                {
                    slowest = Math.Max(slowest, ms);
                    if (status == "200" && outageTo is { } back && now >= back)
                    {
                        firstOkAfter ??= now;
                    }
                }

                if (status == "200")
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });
        await Task.WhenAll(posts.Append(outage));
        await ProcessingBenchmark.WaitForAsync(() => ProcessingBenchmark.DrainedAsync(storage, customers), TimeSpan.FromMinutes(5), "the outage trial to drain");
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // A restarted Azurite is a new process the meter does not know: its CPU would count as foreign.
        var foreign = frozen ? $"{CpuMeter.ForeignPercent(before, meter.Snapshot(), seconds):0} %" : "n/a";
        var stored = (await ProcessingBenchmark.ReceivedAtAsync(storage)).Count;
        var notices = graph.NoticesByRecipient;
        var lost = Enumerable.Range(0, customers).Count(c => notices.GetValueOrDefault("+" + webhooks.WaId(c)) == 0);
        var doubled = Enumerable.Range(0, customers).Count(c => notices.GetValueOrDefault("+" + webhooks.WaId(c)) > 1);
        var firstRefusal = first503 is { } f && outageFrom is { } o ? $"{(f - o).TotalSeconds:0.0} s" : "none";
        var away = (outageTo!.Value - outageFrom!.Value).TotalSeconds;
        var recovered = firstOkAfter is { } ok ? $"{(ok - outageTo.Value).TotalSeconds:0.0} s" : "n/a";
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {(frozen ? "frozen" : "stopped")}, away {away:0} s | {recovered} | {string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"))} | {slowest / 1000:0.0} s | {firstRefusal} | {stored}/{customers} | **{lost}** | **{doubled}** | {seconds:0} s | {foreign} |");
        return azurite;
    }

    private static async Task<string> PostAsync(HttpClient client, SignedWebhook webhook)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/webhook") { Content = new ByteArrayContent(webhook.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", webhook.Signature);
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e is TaskCanceledException ? "client timeout (30 s)" : "no answer";
        }
    }
}
