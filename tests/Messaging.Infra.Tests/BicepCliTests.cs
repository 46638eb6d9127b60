using System.Text.Json.Nodes;
using Messaging.Infra.Tests.Infrastructure;

namespace Messaging.Infra.Tests;

/// <summary>The real, pinned Bicep CLI builds and lints every file with zero diagnostics.</summary>
public class BicepCliTests
{
    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(BicepCli.BicepDirectory, "*.bicep*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(BicepCli.BicepDirectory, file));
        }

        return data;
    }

    [Fact]
    public void Pinned_bicep_cli_is_the_centrally_declared_version()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(BicepCli.RepositoryRoot, "Directory.Packages.props"));
        var pinned = props.Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "Azure.Bicep.CommandLine.linux-x64")
            .Attribute("Version")!.Value;

        var run = BicepCli.Run("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"Bicep CLI version {pinned} ", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_template_builds_without_warnings_or_errors()
    {
        var run = CompiledTemplate.BuildRun;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Output.Length == 0, $"bicep build printed diagnostics:\n{run.Output}");
        Assert.NotNull(JsonNode.Parse(CompiledTemplate.Json));
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Every_bicep_file_lints_clean(string relativePath)
    {
        var run = BicepCli.Run("lint", Path.Combine(BicepCli.BicepDirectory, relativePath));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Output.Length == 0, $"bicep lint {relativePath} printed diagnostics:\n{run.Output}");
    }

    [Fact]
    public void Sample_parameters_file_builds_and_targets_an_eu_region()
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"messaging-infra-params-{Environment.ProcessId}.json");
        var run = BicepCli.Run("build-params", Path.Combine(BicepCli.BicepDirectory, "main.sample.bicepparam"), "--outfile", outFile);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Output.Length == 0, run.Output);
        var parameters = JsonNode.Parse(File.ReadAllText(outFile))!["parameters"]!.AsObject();
        Assert.Contains(parameters["location"]!["value"]!.GetValue<string>(), InfraPolicies.EuRegions);
        Assert.DoesNotContain(parameters, p => p.Value?["reference"] is not null && p.Key.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Linter_security_and_correctness_rules_are_errors()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.BicepDirectory, "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();
        string[] mustBeErrors =
        [
            "outputs-should-not-contain-secrets", "secure-parameter-default", "secure-params-in-nested-deploy", "secure-secrets-in-params",
            "use-secure-value-for-secure-inputs", "protect-commandtoexecute-secrets", "adminusername-should-not-be-literal",
            "no-hardcoded-env-urls", "no-hardcoded-location", "no-loc-expr-outside-params", "explicit-values-for-loc-params",
            "use-resource-id-functions", "use-stable-resource-identifiers", "no-unused-params", "no-unused-vars",
            "no-unnecessary-dependson", "use-resource-symbol-reference", "what-if-short-circuiting",
        ];

        Assert.True(config["analyzers"]!["core"]!["enabled"]!.GetValue<bool>());
        Assert.All(mustBeErrors, rule => Assert.Equal("error", rules[rule]?["level"]?.GetValue<string>()));
    }

    [Fact]
    public void Modules_are_local_files_never_registry_references()
    {
        var moduleLines = Directory.GetFiles(BicepCli.BicepDirectory, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(File.ReadAllLines)
            .Where(l => l.TrimStart().StartsWith("module ", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(moduleLines);
        Assert.All(moduleLines, l => Assert.Matches(@"^\s*module \w+ 'modules/[A-Za-z]+\.bicep'", l));
    }
}
