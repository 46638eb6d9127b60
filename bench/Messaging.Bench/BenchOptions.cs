using System.Globalization;

namespace Messaging.Bench;

internal sealed record BenchOptions(
    string StorageConnectionString,
    string LocalHostDll,
    IReadOnlyList<double> Rates,
    int Rounds,
    double RoundSeconds,
    int Concurrency,
    double SaturationSeconds,
    double WarmupSeconds,
    bool WithProcessing,
    string? MarkdownPath,
    int? AzuritePid)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                flags.Add(args[i][2..]);
            }
        }

        string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required.");
        double Num(string name, double fallback) =>
            values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        return new BenchOptions(
            Get("storage", Environment.GetEnvironmentVariable("Storage__ConnectionString")),
            Get("localhost-dll"),
            Get("rates", "500").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray(),
            (int)Num("rounds", 2),
            Num("round-seconds", 10),
            (int)Num("concurrency", 32),
            Num("saturation-seconds", 8),
            Num("warmup-seconds", 5),
            flags.Contains("with-processing"),
            values.GetValueOrDefault("markdown"),
            values.TryGetValue("azurite-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
    }
}
