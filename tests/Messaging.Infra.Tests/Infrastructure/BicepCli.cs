using System.Diagnostics;
using System.Reflection;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>The pinned Bicep CLI from the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
public static class BicepCli
{
    private static readonly Lazy<string> Executable = new(LocateAndMakeExecutable);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string BicepDirectory => Path.Combine(RepositoryRoot, "infra", "bicep");

    public static BicepRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = BicepDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Bicep checks for updates and sends telemetry unless told not to; CI must not depend on the network.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 5 minutes");
        }

        return new BicepRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string LocateAndMakeExecutable()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The pinned package is Azure.Bicep.CommandLine.linux-x64.");
        }

        var path = Metadata("BicepExecutable");
        if (path is null || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The bicep binary was not found at '{path}'. Restore the test project so the pinned Azure.Bicep.CommandLine.linux-x64 package is in the NuGet cache.");
        }

        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) != 0)
        {
            return path;
        }

        // A nupkg does not always keep the exec bit.
        try
        {
            File.SetUnixFileMode(path, mode | execute);
            return path;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Read-only package cache: run a private copy.
            var copy = Path.Combine(Path.GetTempPath(), $"bicep-{Environment.ProcessId}", "bicep");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(path, copy, overwrite: true);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(copy) | execute);
            return copy;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Messaging.sln")) && Directory.Exists(Path.Combine(dir.FullName, "infra", "bicep")))
            {
                return dir.FullName;
            }
        }

        return Metadata("RepositoryRoot") ?? throw new DirectoryNotFoundException("repository root (Messaging.sln) not found");
    }

    private static string? Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}

public sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => (StandardOutput + StandardError).Trim();

    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
