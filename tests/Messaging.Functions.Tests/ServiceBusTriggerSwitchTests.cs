using System.Text.Json;
using Messaging.Functions.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Messaging.Functions.Tests;

/// <summary>The IncludeServiceBusTrigger switch of src/Functions, asked of MSBuild itself.</summary>
public sealed class ServiceBusTriggerSwitchTests
{
    private const string ServiceBusExtension = "Microsoft.Azure.Functions.Worker.Extensions.ServiceBus";

    [Fact]
    public void The_switch_leaves_out_exactly_the_service_bus_extension_and_the_trigger_file()
    {
        var on = Evaluate(includeTrigger: true);
        var off = Evaluate(includeTrigger: false);

        Assert.Equal([ServiceBusExtension], on.Packages.Except(off.Packages));
        Assert.Empty(off.Packages.Except(on.Packages));
        Assert.Equal(
            FunctionsBuild.Inputs.LeftOut.Select(Path.GetFileName).Order(StringComparer.Ordinal),
            on.Sources.Except(off.Sources).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(off.Sources.Except(on.Sources));
    }

    [Fact]
    public void A_build_without_the_trigger_refuses_to_publish()
    {
        var output = Path.Combine(Path.GetTempPath(), $"functions-publish-{Guid.NewGuid():N}");
        try
        {
            // No restore: the test build restored already, and ./test runs this beside ./run's incremental build of the
            // same shared project, whose restore must not race this one.
            var run = Dotnet.Invoke("publish", FunctionsBuild.ProjectFile, "-c", FunctionsBuild.Configuration, "--no-build", "--no-restore", "-o", output, "-nologo");

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("MSGFUNC001", run.Output, StringComparison.Ordinal);
            Assert.Contains("IncludeServiceBusTrigger=true", run.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(output, "Messaging.Functions.dll")), "the publish went ahead and wrote the app");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void The_build_writes_functions_metadata_for_every_function_it_compiled()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(FunctionsBuild.MetadataFile));
        var listed = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
        var leftOut = FunctionsBuild.Inputs.LeftOut.ToHashSet(StringComparer.Ordinal);
        var compilation = FunctionsCompiler.Compile(FunctionsCompiler.FunctionsTrees());
        var declared = compilation.SyntaxTrees.ToLookup(t => leftOut.Contains(t.FilePath), t => FunctionNames(compilation.GetSemanticModel(t)));

        Assert.Equal(declared[false].SelectMany(n => n).Order(), listed.Order());
        Assert.NotEmpty(declared[true].SelectMany(n => n));
        Assert.All(declared[true].SelectMany(n => n), name => Assert.DoesNotContain(name, listed));
    }

    /// <summary>The names in [Function(...)] attributes, constants resolved.</summary>
    private static IEnumerable<string> FunctionNames(SemanticModel model) =>
        model.SyntaxTree.GetRoot().DescendantNodes().OfType<AttributeSyntax>()
            .Where(a => a.Name.ToString() is "Function" or "FunctionAttribute")
            .Select(a => model.GetConstantValue(a.ArgumentList!.Arguments[0].Expression).Value as string
                ?? throw new InvalidOperationException($"Not a constant function name: {a}"));

    private static (IReadOnlyList<string> Packages, IReadOnlyList<string> Sources) Evaluate(bool includeTrigger)
    {
        var run = Dotnet.Invoke("msbuild", FunctionsBuild.ProjectFile, "-getItem:PackageReference", "-getItem:Compile",
            $"-p:IncludeServiceBusTrigger={includeTrigger.ToString().ToLowerInvariant()}", "-p:Configuration=" + FunctionsBuild.Configuration, "-nologo");
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Output);
        var items = json.RootElement.GetProperty("Items");
        return (
            [.. items.GetProperty("PackageReference").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!)],
            [.. items.GetProperty("Compile").EnumerateArray().Select(i => i.GetProperty("FullPath").GetString()!)]);
    }
}
