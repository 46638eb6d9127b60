using System.Diagnostics;
using System.Text;

namespace Messaging.EndToEnd.Tests.LocalRun;

/// <summary>Runs the repository's shell scripts with exactly the secrets a test chooses in the environment.</summary>
public static class Bash
{
    /// <summary>Everything ./run may generate; cleared from the child's environment unless the test sets it.</summary>
    public static readonly IReadOnlyList<string> SecretNames = ["Meta__AppSecret", "Meta__VerifyToken", "Security__Pepper", "Security__MasterKey", "Api__Key"];

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = AzuriteFixture.RepoRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in SecretNames)
        {
            info.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>bash -c SCRIPT in the repository root, with scripts/lib.sh sourced first.</summary>
    public static Result Lib(string script, IReadOnlyDictionary<string, string> environment)
    {
        using var process = Process.Start(StartInfo(environment, "-c", "set -euo pipefail; source scripts/lib.sh; " + script))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bash did not finish: " + script);
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Collects a running process's output as it comes.</summary>
    public static StringBuilder Capture(Process process)
    {
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return output;
    }
}
