using System.Reflection;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>Paths of the repository this test assembly was built from (baked in at build time).</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string FunctionsDirectory => Path.Combine(Root, "src", "Functions");

    /// <summary>Every C# source of src/Functions, as the SDK would compile it (bin/obj excluded).</summary>
    public static IReadOnlyList<string> FunctionsSources() =>
        Directory.EnumerateFiles(FunctionsDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
}
