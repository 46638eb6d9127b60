using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Webhooks.Fuzzing;
using Messaging.Shared.Webhooks;

namespace Messaging.Bench;

/// <summary>
/// The long fuzz run: signed, mutated webhooks built from every fixture shape (the same mutator as the fixed-seed
/// property in ./test) posted over HTTP to a LocalHost that processes them. Afterwards: no 5xx but 503 (retried, as
/// Meta would), the process still up and healthy, every untouched message stored, every body that is not a webhook
/// at all (not UTF-8, not JSON, too deep, no entry array) parked with a reason.
/// </summary>
internal static class FuzzRun
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task RunAsync(ProcessingBenchOptions options, FakeGraph graph, StringBuilder report)
    {
        var appSecret = LocalHostSettings.Secret();
        var pepper = LocalHostSettings.Secret();
        var prefix = "f" + Guid.NewGuid().ToString("N")[..8];
        var settings = LocalHostSettings.For(options.StorageConnectionString, appSecret, pepper, prefix, processing: true).WithGraph(graph.BaseAddress);
        var storage = ProcessingBenchmark.Storage(options, prefix);
        var sign = new CustomerWebhooks(appSecret, 0);
        await using var host = await ServerProcess.StartAsync([options.LocalHostDll], settings, "/api/health");
        using var client = ProcessingBenchmark.Client(host);
        client.Timeout = TimeSpan.FromSeconds(60);

        var expectedMessages = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var unreadable = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var answers = new ConcurrentDictionary<int, int>();
        long retries = 0, bytes = 0;
        var next = -1;
        var meter = ProcessingBenchmark.Meter(options, host.Id);
        var before = meter.Snapshot();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        ProcessingBenchmark.Log($"fuzz: {options.FuzzBodies} signed mutated bodies, 16 in flight");
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.FuzzBodies)
            {
                var seed = 1_000_003 * (i + 1);
                var original = FuzzCorpus.Body(i, seed);
                var mutated = WebhookMutator.Mutate(original, seed);
                Interlocked.Add(ref bytes, mutated.Length);
                foreach (var id in FuzzCorpus.MustBeStored(original, mutated))
                {
                    expectedMessages[id] = true;
                }

                if (!IsWebhookAtAll(mutated))
                {
                    unreadable[WebhookEnvelope.IdOf(mutated)] = true;
                }

                var webhook = sign.Sign(mutated);
                for (var attempt = 1; ; attempt++)
                {
                    var status = await PostAsync(client, webhook);
                    if (answers.AddOrUpdate(status, 1, (_, n) => n + 1) <= 3 && status != 200)
                    {
                        ProcessingBenchmark.Log($"fuzz: body {i} ({mutated.Length} bytes) answered {status}");
                    }

                    if (status is not (503 or 599))
                    {
                        break;
                    }

                    if (attempt == 20)
                    {
                        answers.AddOrUpdate(0, 1, (_, n) => n + 1); // never acknowledged: would be lost at Meta's end
                        break;
                    }

                    Interlocked.Increment(ref retries);
                    await Task.Delay(500);
                }

                if (i > 0 && i % Math.Max(1000, options.FuzzBodies / 10) == 0)
                {
                    ProcessingBenchmark.Log($"fuzz: {i} posted");
                }
            }
        }));
        var postSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        ProcessingBenchmark.Log("fuzz: all posted; waiting for the queues to drain");
        await ProcessingBenchmark.WaitForAsync(() => QueuesEmptyAsync(storage), TimeSpan.FromMinutes(60), "the fuzzed webhooks to be processed");
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var foreign = CpuMeter.ForeignPercent(before, meter.Snapshot(), seconds);
        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        var hasher = new KeyedHasher(Convert.FromBase64String(pepper));
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.MessagesTable).QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            stored.Add(row.RowKey);
        }

        var missing = expectedMessages.Keys.Count(id => !stored.Contains("m-" + hasher.Hash("wamid", id)));
        var parked = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.ParkedTable).QueryAsync<TableEntity>(select: ["RowKey", "Reason"]))
        {
            parked[row.RowKey] = row.GetString("Reason") ?? "";
        }

        var unparked = unreadable.Keys.Count(id => !parked.ContainsKey(id));
        var reasonless = parked.Values.Count(r => r.Length == 0);
        var reasons = parked.Values.Select(r => r.Split(':')[0].Split('(')[0].Trim()).GroupBy(r => r.Length > 60 ? r[..60] : r).OrderByDescending(g => g.Count()).Take(6);

        report.AppendLine("### Fuzzing, long run");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"{options.FuzzBodies} signed bodies ({bytes / 1024.0 / 1024:0} MiB), each a fixture shape with one to three mutations (truncation, wrong types, missing properties, arrays of up to 320 copies, nesting up to 130 deep, odd Unicode including lone surrogates, strings up to 100 000 characters, extreme numbers, bytes that are not UTF-8), posted with 16 in flight to a LocalHost processing them; a 503 (or no answer, 599 below) was posted again after 500 ms, as Meta retries (0 below: still not acknowledged after 20 tries).");
        report.AppendLine();
        report.AppendLine("| measured | value |");
        report.AppendLine("|---|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| answers | {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| 5xx other than 503 | **{answers.Where(a => a.Key >= 500 && a.Key != 503).Sum(a => a.Value)}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| LocalHost still up, /api/health | {(host.HasExited ? "exited" : "running")}, {(int)health.StatusCode} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| untouched messages that had to be stored / missing | {expectedMessages.Count} / **{missing}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| bodies that are no webhook at all / not parked | {unreadable.Count} / **{unparked}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| parked bodies in total / without a reason | {parked.Count} / **{reasonless}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| posting took / until drained | {postSeconds:0} s / {seconds:0} s ({options.FuzzBodies / seconds:0} bodies/s) |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| CPU used by other processes | {foreign:0} % |");
        report.AppendLine();
        report.AppendLine("Most frequent park reasons: " + string.Join("; ", reasons.Select(g => $"{g.Key} ({g.Count()})")) + ".");
        report.AppendLine();
    }

    /// <summary>The oracle for "no webhook at all", independent of the parser: UTF-8, JSON within depth 64, an object with an entry array.</summary>
    private static bool IsWebhookAtAll(byte[] body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("entry", out var entry) && entry.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<int> PostAsync(HttpClient client, SignedWebhook webhook)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/webhook") { Content = new ByteArrayContent(webhook.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", webhook.Signature);
            using var response = await client.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 599; // no answer at all
        }
    }

    private static async Task<bool> QueuesEmptyAsync(StorageClients storage)
    {
        foreach (var queue in new[] { StorageNames.InboundQueue, StorageNames.OutboundQueue })
        {
            if ((await storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                return false;
            }
        }

        return true;
    }
}
