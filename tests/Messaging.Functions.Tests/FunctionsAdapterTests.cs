extern alias functions;
using functions::Messaging.Functions.Hosting;
using Messaging.Functions.Tests.Infrastructure;
using Messaging.Shared.Webhooks;

namespace Messaging.Functions.Tests;

/// <summary>src/Functions holds thin adapters; behaviour lives in the shared core (design.md, COMMON.md).</summary>
public sealed class FunctionsAdapterTests
{
    private const int MaxLines = 120;

    /// <summary>Files that are not adapters, each with the reason.</summary>
    private static readonly Dictionary<string, string> NotAdapters = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Every_source_file_of_the_Functions_app_stays_under_120_lines()
    {
        // What the build compiled plus the file it left out, without what generators wrote to obj/.
        var obj = Path.Combine(Repository.FunctionsDirectory, "obj");
        var sources = FunctionsBuild.Inputs.Compile.Concat(FunctionsBuild.Inputs.LeftOut)
            .Where(f => f.StartsWith(Repository.FunctionsDirectory, StringComparison.Ordinal) && !f.StartsWith(obj, StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);
        var long_ = sources.Select(f => (File: Path.GetRelativePath(Repository.FunctionsDirectory, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines >= MaxLines && !NotAdapters.ContainsKey(f.File.Replace('\\', '/')))
            .ToList();

        Assert.True(long_.Count == 0, "Not a thin adapter any more: " + string.Join(", ", long_.Select(f => $"{f.File} ({f.Lines} lines)")));
    }

    [Fact]
    public void Every_http_function_gets_its_behaviour_only_from_shared_handlers()
    {
        var functionsAssembly = typeof(FunctionsHostServiceExtensions).Assembly;
        var classes = FunctionsMetadata.Read().Where(f => f.HttpTrigger is not null)
            .Select(f => functionsAssembly.GetType(f.EntryPoint[..f.EntryPoint.LastIndexOf('.')], throwOnError: true)!)
            .Distinct()
            .ToList();

        Assert.NotEmpty(classes);
        Assert.All(classes, type => Assert.All(type.GetConstructors().Single().GetParameters(), p =>
        {
            Assert.Equal(typeof(WebhookHandlers).Assembly, p.ParameterType.Assembly);
            Assert.EndsWith("Handlers", p.ParameterType.Name, StringComparison.Ordinal);
        }));
    }
}
