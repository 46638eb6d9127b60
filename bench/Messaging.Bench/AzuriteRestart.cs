using System.Diagnostics;
using System.Globalization;

namespace Messaging.Bench;

/// <summary>
/// Stops the benchmark's Azurite and starts it again with the same arguments (ports, flags), optionally on a fresh data
/// directory. The script that started the first one stops whatever process id is left in <see cref="PidFile"/>.
/// </summary>
internal static class AzuriteRestart
{
    public static string PidFile => Path.Combine(Path.GetTempPath(), "processing-bench-azurite.pid");

    public static string[] CommandOf(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Signals Azurite: its whole process group when it leads one (one process per storage service).</summary>
    public static void Signal(int pid, string signal, bool wholeGroup = true)
    {
        var target = wholeGroup && LeadsGroup(pid) ? "-" + pid.ToString(CultureInfo.InvariantCulture) : pid.ToString(CultureInfo.InvariantCulture);
        using var kill = Process.Start("kill", ["-" + signal, "--", target])!;
        kill.WaitForExit();
    }

    private static bool LeadsGroup(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2] == pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task StopAsync(int pid)
    {
        // The leader alone: it stops each service the way that service saves its data (the table service on SIGINT).
        Signal(pid, "TERM", wholeGroup: false);
        while (File.Exists($"/proc/{pid}/stat"))
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Deletes the data directory of a stopped Azurite if this class created it.</summary>
    public static void DeleteDataIfOurs(string[] command)
    {
        var location = Array.IndexOf(command, "--location");
        if (location >= 0 && command[location + 1].Contains("processing-bench-azurite", StringComparison.Ordinal))
        {
            Directory.Delete(command[location + 1], recursive: true);
        }
    }

    /// <summary>Starts Azurite with <paramref name="command"/>; a fresh data directory replaces its --location when asked.</summary>
    public static async Task<int> StartAsync(string[] command, bool freshData, Uri tablesEndpoint)
    {
        var arguments = command[1..].ToArray();
        var location = Array.IndexOf(arguments, "--location");
        if (freshData && location >= 0)
        {
            arguments[location + 1] = Directory.CreateTempSubdirectory("processing-bench-azurite").FullName;
        }

        // As its own process group again, so that freezing it reaches every storage service.
        using var started = Process.Start(new ProcessStartInfo("setsid", [command[0], .. arguments]) { UseShellExecute = false })!;
        await File.WriteAllTextAsync(PidFile, started.Id.ToString(CultureInfo.InvariantCulture));
        using var client = new System.Net.Sockets.TcpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                await client.ConnectAsync(tablesEndpoint.Host, tablesEndpoint.Port);
                return started.Id;
            }
            catch (System.Net.Sockets.SocketException) when (i < 300)
            {
                await Task.Delay(100);
            }
        }
    }
}
