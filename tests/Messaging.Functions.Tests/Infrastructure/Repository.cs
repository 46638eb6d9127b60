using System.Reflection;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>Paths of the repository this test assembly was built from (baked in at build time).</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string FunctionsDirectory => Path.Combine(Root, "src", "Functions");
}
