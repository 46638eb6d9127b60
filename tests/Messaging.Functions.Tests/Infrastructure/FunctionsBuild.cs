using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>
/// What the real build of src/Functions left behind for the tests: the inputs of its compilation (written by the
/// project's WriteRoslynCheckInputs target) and its output directory (functions.metadata). The test project references
/// src/Functions without its assembly, only so that the Functions build runs first in the same configuration.
/// </summary>
public static class FunctionsBuild
{
    public static string IntermediateDirectory { get; } = Metadata("FunctionsIntermediateDirectory");

    public static string OutputDirectory { get; } = Metadata("FunctionsOutputDirectory");

    /// <summary>The configuration this test project and so src/Functions were built in.</summary>
    public static string Configuration { get; } = Metadata("FunctionsConfiguration");

    public static string ProjectFile => Path.Combine(Repository.FunctionsDirectory, "Messaging.Functions.csproj");

    public static string MetadataFile => Path.Combine(OutputDirectory, "functions.metadata");

    public static CompileInputs Inputs => LazyInputs.Value;

    private static Lazy<CompileInputs> LazyInputs { get; } = new(() => CompileInputs.Read(Path.Combine(IntermediateDirectory, "roslyn-check.txt")));

    private static string Metadata(string key) =>
        typeof(FunctionsBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>One line a fact: Reference=, Compile=, LeftOut= (one a file), DefineConstants=, NoWarn= (;-separated), Nullable=, LangVersion=.</summary>
public sealed record CompileInputs(
    IReadOnlyList<string> References,
    IReadOnlyList<string> Compile,
    IReadOnlyList<string> LeftOut,
    IReadOnlyList<string> DefineConstants,
    IReadOnlyList<string> NoWarn,
    NullableContextOptions Nullable,
    string LangVersion)
{
    public static CompileInputs Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is written by building src/Functions (WriteRoslynCheckInputs); build the solution first.", path);
        }

        var lines = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToLookup(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        IReadOnlyList<string> Split(string key) =>
            lines[key].SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return new CompileInputs(
            [.. lines["Reference"]],
            [.. lines["Compile"]],
            [.. lines["LeftOut"]],
            Split("DefineConstants"),
            Split("NoWarn"),
            Enum.TryParse<NullableContextOptions>(lines["Nullable"].SingleOrDefault(), ignoreCase: true, out var nullable) ? nullable : NullableContextOptions.Disable,
            lines["LangVersion"].SingleOrDefault() ?? "");
    }
}
