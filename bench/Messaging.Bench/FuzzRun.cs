using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Messaging.Shared.Messages;
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

    // Azurite slows down with everything it holds (it scans every stored queue message per queue operation), so the
    // long run goes in chunks, each on a freshly started Azurite and LocalHost.
    private const int ChunkSize = 20_000;

    private sealed class Totals
    {
        public ConcurrentDictionary<int, int> Answers { get; } = new();
        public long Bytes;
        public int Expected;
        public int Missing;
        public int Unreadable;
        public int Unparked;
        public int Parked;
        public int Reasonless;
        public int Crashed;
        public List<int> HealthAfter { get; } = [];
        public double Seconds;
        public double ForeignWeighted;
        public Dictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);
    }

    public static async Task RunAsync(ProcessingBenchOptions options, FakeGraph graph, StringBuilder report)
    {
        var totals = new Totals();
        // Bodies FuzzFrom .. FuzzFrom + FuzzBodies - 1: body i is the same for any run (its seed is derived from i), so a
        // long run can be made in pieces on the same code and the pieces' chunk verdicts added up.
        var end = options.FuzzFrom + options.FuzzBodies;
        for (var from = options.FuzzFrom; from < end; from += ChunkSize)
        {
            if (from > options.FuzzFrom && ProcessingBenchmark.AzuritePid is { } azurite)
            {
                var command = AzuriteRestart.CommandOf(azurite);
                await AzuriteRestart.StopAsync(azurite);
                AzuriteRestart.DeleteDataIfOurs(command);
                ProcessingBenchmark.AzuritePid = await AzuriteRestart.StartAsync(command, freshData: true, ProcessingBenchmark.TablesEndpoint(options));
            }

            await ChunkAsync(options, graph, from, Math.Min(end, from + ChunkSize), totals);
        }

        report.AppendLine("### Fuzzing, long run");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"{options.FuzzBodies} signed bodies (numbers {options.FuzzFrom} to {end - 1}; {totals.Bytes / 1024.0 / 1024:0} MiB), each a fixture shape with one to three mutations (truncation, wrong types, missing properties, arrays of up to 320 copies, nesting up to 130 deep, odd Unicode including lone surrogates, strings up to 100 000 characters, extreme numbers, bytes that are not UTF-8; cut short beyond Meta's 3 MB), posted with 16 in flight to a LocalHost processing them; a 503 (or no answer, 599 below) was posted again after 500 ms, as Meta retries (0 below: still not acknowledged after 20 tries). In chunks of {ChunkSize}, each on a freshly started Azurite and LocalHost: Azurite slows down with everything it holds.");
        report.AppendLine();
        report.AppendLine("| measured | value |");
        report.AppendLine("|---|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| answers | {string.Join(", ", totals.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| 5xx other than 503 | **{totals.Answers.Where(a => a.Key >= 500 && a.Key != 503 && a.Key != 599).Sum(a => a.Value)}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| LocalHost exited during a chunk / /api/health after each chunk | **{totals.Crashed}** / {string.Join(", ", totals.HealthAfter)} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| untouched messages that had to be stored / missing | {totals.Expected} / **{totals.Missing}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| bodies that are no webhook at all / not parked | {totals.Unreadable} / **{totals.Unparked}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| parked bodies in total / without a reason | {totals.Parked} / **{totals.Reasonless}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| posting until drained | {totals.Seconds:0} s ({options.FuzzBodies / totals.Seconds:0} bodies/s) |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| CPU used by other processes | {totals.ForeignWeighted / totals.Seconds:0} % |");
        report.AppendLine();
        report.AppendLine("Most frequent park reasons: " + string.Join("; ", totals.Reasons.OrderByDescending(r => r.Value).Take(6).Select(r => $"{r.Key} ({r.Value})")) + ".");
        report.AppendLine();
    }

    private static async Task ChunkAsync(ProcessingBenchOptions options, FakeGraph graph, int from, int to, Totals totals)
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
        var next = from - 1;
        var meter = ProcessingBenchmark.Meter(options, host.Id);
        var before = meter.Snapshot();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        ProcessingBenchmark.Log($"fuzz: bodies {from} to {to - 1}, 16 in flight");
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < to)
            {
                var seed = 1_000_003 * (i + 1);
                var original = FuzzCorpus.Body(i, seed);
                var mutated = WebhookMutator.Mutate(original, seed);
                Interlocked.Add(ref totals.Bytes, mutated.Length);
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
                    if (totals.Answers.AddOrUpdate(status, 1, (_, n) => n + 1) <= 3 && status != 200)
                    {
                        ProcessingBenchmark.Log($"fuzz: body {i} ({mutated.Length} bytes) answered {status}");
                    }

                    if (status is not (503 or 599))
                    {
                        break;
                    }

                    if (attempt == 20)
                    {
                        totals.Answers.AddOrUpdate(0, 1, (_, n) => n + 1); // never acknowledged: would be lost at Meta's end
                        break;
                    }

                    await Task.Delay(500);
                }

                if (i > from && (i - from) % 5_000 == 0)
                {
                    ProcessingBenchmark.Log($"fuzz: {i} posted");
                }
            }
        }));
        ProcessingBenchmark.Log("fuzz: chunk posted; waiting for the queues to drain");
        await ProcessingBenchmark.WaitForAsync(() => QueuesEmptyAsync(storage), TimeSpan.FromMinutes(60), "the fuzzed webhooks to be processed");
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        totals.Seconds += seconds;
        totals.ForeignWeighted += CpuMeter.ForeignPercent(before, meter.Snapshot(), seconds) * seconds;
        totals.Crashed += host.HasExited ? 1 : 0;
        using (var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative)))
        {
            totals.HealthAfter.Add((int)health.StatusCode);
        }

        var hasher = new KeyedHasher(Convert.FromBase64String(pepper));
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in MessageTables.All)
        {
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>(select: ["RowKey"]))
            {
                stored.Add(row.RowKey);
            }
        }

        totals.Expected += expectedMessages.Count;
        totals.Missing += expectedMessages.Keys.Count(id => !stored.Contains("m-" + hasher.Hash("wamid", id)));
        var parked = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.ParkedTable).QueryAsync<TableEntity>(select: ["RowKey", "Reason"]))
        {
            parked[row.RowKey] = row.GetString("Reason") ?? "";
        }

        totals.Unreadable += unreadable.Count;
        totals.Unparked += unreadable.Keys.Count(id => !parked.ContainsKey(id));
        totals.Parked += parked.Count;
        totals.Reasonless += parked.Values.Count(r => r.Length == 0);
        foreach (var reason in parked.Values)
        {
            var kind = ReasonKind(reason);
            totals.Reasons[kind] = totals.Reasons.GetValueOrDefault(kind) + 1;
        }

        ProcessingBenchmark.Log($"fuzz: chunk {from}-{to - 1} done in {seconds:0} s; 5xx other than 503 so far {totals.Answers.Where(a => a.Key >= 500 && a.Key != 503 && a.Key != 599).Sum(a => a.Value)}, never acknowledged {totals.Answers.GetValueOrDefault(0)}, LocalHost exited {host.HasExited}; {expectedMessages.Count} expected, {expectedMessages.Keys.Count(id => !stored.Contains("m-" + hasher.Hash("wamid", id)))} missing; {unreadable.Count} no webhook at all, {unreadable.Keys.Count(id => !parked.ContainsKey(id))} not parked; {parked.Count} parked, {parked.Values.Count(r => r.Length == 0)} without a reason");
    }

    /// <summary>A park reason without its positions and counts, to group them.</summary>
    private static string ReasonKind(string reason)
    {
        var first = reason.Contains("unreadable: ", StringComparison.Ordinal) ? reason[(reason.IndexOf("unreadable: ", StringComparison.Ordinal) + 12)..] : reason;
        first = first.Contains(": ", StringComparison.Ordinal) && first.StartsWith("entry", StringComparison.Ordinal) ? first[(first.IndexOf(": ", StringComparison.Ordinal) + 2)..] : first;
        first = System.Text.RegularExpressions.Regex.Replace(first, @"entry\[\d+\][^ ]*", "item");
        first = System.Text.RegularExpressions.Regex.Replace(first, @"\d+", "N");
        return first.Length > 70 ? first[..70] : first.TrimEnd('.', ' ');
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
