using System.Globalization;

namespace Messaging.Bench;

/// <summary>
/// Linux-only CPU accounting from /proc: how much CPU the machine spent outside the benchmark's own processes
/// (load generator, both servers, Azurite) during a measurement. Other work on a shared 2-core machine shows up
/// directly as latency, so every row of the report says how much of it there was.
/// </summary>
internal sealed class CpuMeter(IReadOnlyList<int> ownPids)
{
    private const double TicksPerSecond = 100; // USER_HZ

    public (long Busy, long Own) Snapshot()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // user nice system idle iowait irq softirq steal: interrupt time is left out because loopback
            // networking is charged to it rather than to the processes that caused it.
            long busy = 0;
            foreach (var i in new[] { 1, 2, 3, 8 })
            {
                busy += long.Parse(cpu[i], CultureInfo.InvariantCulture);
            }

            long own = 0;
            foreach (var pid in ownPids.Append(Environment.ProcessId))
            {
                own += ProcessTicks(pid);
            }

            return (busy, own);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>Share of all cores used by other processes between two snapshots, in percent.</summary>
    public static double ForeignPercent((long Busy, long Own) before, (long Busy, long Own) after, double seconds)
    {
        var foreign = (after.Busy - before.Busy) - (after.Own - before.Own);
        return Math.Max(0, foreign / TicksPerSecond / (seconds * Environment.ProcessorCount) * 100);
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until other processes use under 15 % of the CPU for a second.</summary>
    public async Task<double> WaitForQuietAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var before = Snapshot();
            await Task.Delay(1000);
            var foreign = ForeignPercent(before, Snapshot(), 1);
            if (foreign < 15 || DateTime.UtcNow >= deadline)
            {
                return foreign;
            }
        }
    }

    /// <summary>CPU time a process has used so far (user + system).</summary>
    public static TimeSpan ProcessCpu(int pid) => TimeSpan.FromSeconds(ProcessTicks(pid) / TicksPerSecond);

    /// <summary>
    /// User + system ticks of a process and, when it leads a process group, of the group's other members: Azurite runs
    /// as a group of one process per storage service (scripts/azurite-services.js).
    /// </summary>
    private static long ProcessTicks(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        long ticks = 0;
        foreach (var stat in GroupStats(pid))
        {
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return ticks;
    }

    private static IEnumerable<string> GroupStats(int pid)
    {
        var stats = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var other))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields[2] is field 5 (pgrp).
                if (other == pid || fields[2] == pid.ToString(CultureInfo.InvariantCulture))
                {
                    stats.Add(stat);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }

        return stats;
    }
}
