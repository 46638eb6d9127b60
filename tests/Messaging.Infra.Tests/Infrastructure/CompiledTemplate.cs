using System.Text.Json.Nodes;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>main.bicep compiled once per test run by the real Bicep CLI.</summary>
public static class CompiledTemplate
{
    private static readonly Lazy<(BicepRun Run, string Json)> Build = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), $"messaging-infra-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        var outFile = Path.Combine(directory, "main.json");
        var run = BicepCli.Run("build", Path.Combine(BicepCli.BicepDirectory, "main.bicep"), "--outfile", outFile);
        return (run, File.Exists(outFile) ? File.ReadAllText(outFile) : "");
    });

    public static BicepRun BuildRun => Build.Value.Run;

    public static string Json => Build.Value.Json;

    /// <summary>A fresh, mutable copy of the compiled ARM template.</summary>
    public static JsonObject Load()
    {
        if (BuildRun.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed: {BuildRun}");
        }

        return JsonNode.Parse(Json)!.AsObject();
    }
}
