using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Messaging.Bench;

/// <summary>
/// What a benchmark run cost its storage: every HTTP request this process made to the Table endpoint (counted by
/// method and table, from .NET's own HttpClient activities) and, when the connection string names one, to the Queue
/// endpoint (counted apart, by method and queue), and the CPU time of this process and of Azurite's table
/// process from /proc. Per send, these say whether the send path or the emulator limits a run, whatever the load.
/// </summary>
internal sealed partial class StorageProbe : IDisposable
{
    private const double TicksPerSecond = 100; // USER_HZ
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> _requests = new(StringComparer.Ordinal);
    private readonly string _tablePort;
    private readonly string? _queuePort;
    private readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> _queueRequests = new(StringComparer.Ordinal);
    private readonly int? _azuritePid;
    private long _inFlight;
    private (long Own, long Azurite) _cpuAtStart;

    public StorageProbe(string connectionString)
    {
        _tablePort = TableEndpoint().Match(connectionString).Groups[1].Value;
        _queuePort = QueueEndpoint().Match(connectionString) is { Success: true } queue ? queue.Groups[1].Value : null;
        _azuritePid = FindAzuriteTablePid(_tablePort);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => Interlocked.Increment(ref _inFlight),
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>HTTP requests of this process waiting for an answer right now (storage and the fake Graph).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public long TableRequests => _requests.Values.Sum(v => v.Count);

    public long QueueRequests => _queueRequests.Values.Sum(v => v.Count);

    public void Start()
    {
        _requests.Clear();
        _queueRequests.Clear();
        _cpuAtStart = Cpu();
    }

    /// <summary>CPU seconds since <see cref="Start"/>: this process, and Azurite's table process (0 when not found).</summary>
    public (double Own, double Azurite) CpuSeconds()
    {
        var now = Cpu();
        return ((now.Own - _cpuAtStart.Own) / TicksPerSecond, (now.Azurite - _cpuAtStart.Azurite) / TicksPerSecond);
    }

    public string Breakdown(long sends) => Lines(_requests, sends, "/send");

    public string QueueBreakdown(long units) => Lines(_queueRequests, units, " each");

    private static string Lines(ConcurrentDictionary<string, (long Count, double Milliseconds)> requests, long units, string per) =>
        string.Join(Environment.NewLine, requests.OrderByDescending(r => r.Value.Count).Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"    {r.Key,-40} {r.Value.Count,8} ({(double)r.Value.Count / Math.Max(1, units),5:0.00}{per}) mean {r.Value.Milliseconds / r.Value.Count,7:0.0} ms")));

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity activity)
    {
        Interlocked.Decrement(ref _inFlight);
        if (activity.GetTagItem("url.full") is not string url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        var port = uri.Port.ToString(CultureInfo.InvariantCulture);
        if (port == _queuePort)
        {
            // /account/{prefix}{queue}/messages[/{id}]: the queue by its name without the run's prefix, and whether a message id followed.
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var queue = segments.Length > 1 ? Prefix().Replace(segments[1], "") : "?";
            var what = segments.Length > 3 ? " (message)" : segments.Length > 2 ? " (messages)" : "";
            _queueRequests.AddOrUpdate($"{activity.GetTagItem("http.request.method")} queue {queue}{what}", (1, activity.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Milliseconds + activity.Duration.TotalMilliseconds));
            return;
        }

        if (port != _tablePort)
        {
            return;
        }

        // Tables are named {prefix}{Name} (day tables with a date in it); a point operation names its keys in the
        // path, a batch is "$batch".
        var table = TableName().Match(uri.AbsolutePath) is { Success: true } m ? Digits().Replace(m.Groups[1].Value, "*") : uri.AbsolutePath.Split('/').Last();
        var kind = uri.AbsolutePath.Contains("PartitionKey=", StringComparison.Ordinal) ? " (entity)" : "";
        var key = $"{activity.GetTagItem("http.request.method")} {table}{kind}";
        _requests.AddOrUpdate(key, (1, activity.Duration.TotalMilliseconds), (_, v) => (v.Count + 1, v.Milliseconds + activity.Duration.TotalMilliseconds));
    }

    private (long Own, long Azurite) Cpu() => (ProcessTicks(Environment.ProcessId), _azuritePid is { } pid ? ProcessTicks(pid) : 0);

    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Azurite runs one process per service (scripts/azurite-services.js): the table one listens on our port.</summary>
    private static int? FindAzuriteTablePid(string port)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("table/main.js", StringComparison.Ordinal) && commandLine.Contains($"--tablePort {port} ", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended meanwhile, or one we may not read.
            }
        }

        return null;
    }

    [GeneratedRegex(@"TableEndpoint=https?://[^:;/]+:(\d+)")]
    private static partial Regex TableEndpoint();

    [GeneratedRegex(@"QueueEndpoint=https?://[^:;/]+:(\d+)")]
    private static partial Regex QueueEndpoint();

    [GeneratedRegex(@"^[a-z][0-9a-f]{8}")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^/[^/]+/[a-z][0-9a-f]{8}([^/(]+)")]
    private static partial Regex TableName();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex Digits();
}
