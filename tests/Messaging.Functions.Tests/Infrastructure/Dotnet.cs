using System.Diagnostics;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>Runs the dotnet CLI (MSBuild) on the repository, for tests about what the build itself does.</summary>
public static class Dotnet
{
    public sealed record Run(int ExitCode, string Output);

    public static Run Invoke(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // MSBuild reads environment variables as properties: the test decides the switch, not the caller's shell.
        start.Environment.Remove("IncludeServiceBusTrigger");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 5 minutes");
        }

        return new Run(process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }
}
