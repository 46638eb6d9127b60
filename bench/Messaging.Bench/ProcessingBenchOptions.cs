using System.Globalization;

namespace Messaging.Bench;

internal sealed record ProcessingBenchOptions(
    string StorageConnectionString,
    string LocalHostDll,
    int Customers,
    int MessagesPerCustomer,
    double AckRate,
    double AckSeconds,
    int CrashTrials,
    int CrashCustomers,
    int FuzzBodies,
    int FuzzFrom,
    string Only,
    string? MarkdownPath,
    int? AzuritePid)
{
    public static ProcessingBenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}' (every option takes a value).");
            }

            values[args[i][2..]] = args[++i];
        }

        string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required.");
        double Num(string name, double fallback) =>
            values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        return new ProcessingBenchOptions(
            Get("storage", Environment.GetEnvironmentVariable("Storage__ConnectionString")),
            Get("localhost-dll"),
            (int)Num("customers", 100),
            (int)Num("messages-per-customer", 30),
            Num("ack-rate", 100),
            Num("ack-seconds", 30),
            (int)Num("crash-trials", 10),
            (int)Num("crash-customers", 400),
            (int)Num("fuzz-bodies", 100_000),
            (int)Num("fuzz-from", 0),
            Get("only", "throughput,ack,crash,outage"),
            values.GetValueOrDefault("markdown"),
            values.TryGetValue("azurite-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
    }

    public bool Runs(string phase) => Only.Split(',').Contains(phase, StringComparer.Ordinal);
}
