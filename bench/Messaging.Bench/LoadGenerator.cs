using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Messaging.Bench;

/// <summary>What one target answered during one measurement (latencies in Stopwatch ticks, errors counted apart).</summary>
internal sealed class Sample
{
    private readonly List<long> _latencies = [];

    public long Errors { get; private set; }

    public long Sent { get; private set; }

    public double Seconds { get; private set; }

    /// <summary>Time-weighted share of the machine's CPU used by processes outside the benchmark.</summary>
    public double ForeignCpuPercent => _foreignWeighted / Seconds;

    private double _foreignWeighted;

    public void AddForeignCpu(double percent, double seconds) => _foreignWeighted += percent * seconds;

    public void Merge(Sample other)
    {
        _latencies.AddRange(other._latencies);
        Sent += other.Sent;
        Errors += other.Errors;
        Seconds += other.Seconds;
        _foreignWeighted += other._foreignWeighted;
    }

    public IReadOnlyList<long> Latencies => _latencies;

    public void Add(IEnumerable<long> latencies, long sent, long errors, double seconds)
    {
        _latencies.AddRange(latencies);
        Sent += sent;
        Errors += errors;
        Seconds += seconds;
    }

    public double AchievedPerSecond => _latencies.Count / Seconds;

    public double PercentileMs(double p)
    {
        if (_latencies.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _latencies.Order().ToArray();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// HTTP load against one webhook URL. The open loop sends on a fixed schedule no matter how the server copes and
/// measures each latency from the request's <em>intended</em> send time, so a stalled server is charged for the
/// requests it delayed (no coordinated omission). The closed loop keeps N requests in flight to find the ceiling.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client;
    private readonly Uri _url;

    public LoadGenerator(Uri url)
    {
        _url = url;
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public void Dispose() => _client.Dispose();

    public async Task OpenLoopAsync(Payloads payloads, double rate, double seconds, Sample into)
    {
        var count = (int)(rate * seconds);
        var webhooks = Enumerable.Range(0, count).Select(_ => payloads.Next()).ToArray(); // signed before the clock starts
        var latencies = new long[count];
        var requests = new Task[count];
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50;
        var interval = Stopwatch.Frequency / rate;

        var scheduler = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var intended = start + (long)(i * interval);
                while (true)
                {
                    var wait = intended - Stopwatch.GetTimestamp();
                    if (wait <= 0)
                    {
                        break;
                    }

                    // Sleep rather than spin: the load generator shares two cores with the servers and Azurite.
                    if (wait > Stopwatch.Frequency / 1000)
                    {
                        Thread.Sleep(1);
                    }
                    else
                    {
                        Thread.Yield();
                    }
                }

                requests[i] = SendAsync(webhooks[i], intended, latencies, i);
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "open-loop scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(requests);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;

        into.Add(latencies.Where(l => l >= 0), count, latencies.Count(l => l < 0), elapsed);
        if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
        {
            // Diagnostics: the worst latency per 250 ms of intended send time, to see when stalls happen.
            var perBucket = (int)(rate / 4);
            var line = string.Join(' ', latencies.Chunk(perBucket).Select(c => (c.Max() * 1000 / Stopwatch.Frequency).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Console.Error.WriteLine($"timeline {_url.Port} max ms per 250 ms: {line}");
        }
    }

    public async Task ClosedLoopAsync(Payloads payloads, int concurrency, double seconds, double rampSeconds, Sample? into)
    {
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(rampSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(seconds * Stopwatch.Frequency);
        var perWorker = new List<long>[concurrency];
        var errors = new long[concurrency];
        var sent = new long[concurrency];

        async Task Worker(int w)
        {
            var mine = perWorker[w] = new List<long>(4096);
            var slot = new long[1];
            while (Stopwatch.GetTimestamp() < end)
            {
                var webhook = payloads.Next();
                var t0 = Stopwatch.GetTimestamp();
                await SendAsync(webhook, t0, slot, 0);
                var done = Stopwatch.GetTimestamp();
                if (done < measureFrom || done > end)
                {
                    continue;
                }

                sent[w]++;
                if (slot[0] < 0)
                {
                    errors[w]++;
                }
                else
                {
                    mine.Add(slot[0]);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w))));
        into?.Add(perWorker.SelectMany(l => l), sent.Sum(), errors.Sum(), seconds);
    }

    private async Task SendAsync(SignedWebhook webhook, long intended, long[] latencies, int index)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(webhook.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", webhook.Signature);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            latencies[index] = response.StatusCode == HttpStatusCode.OK ? Stopwatch.GetTimestamp() - intended : -1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            latencies[index] = -1;
        }
    }
}
