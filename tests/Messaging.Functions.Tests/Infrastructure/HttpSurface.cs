using System.Text.RegularExpressions;
using Messaging.LocalHost.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>One HTTP entry point as a host exposes it: the name operators and logs know it by, method, route, who may call it.</summary>
public sealed record HttpEntry(string Name, string Method, string Route, string Auth)
{
    public override string ToString() => $"{Method} {Route} \"{Name}\" auth={Auth}";
}

/// <summary>What each host really exposes over HTTP, in one comparable shape.</summary>
public static partial class HttpSurface
{
    public const string Anonymous = "Anonymous";

    /// <summary>AuthorizationLevel.Function in Azure; <see cref="ApiKeyRequirement"/> on LocalHost.</summary>
    public const string FunctionKey = "Function";

    /// <summary>LocalHost routes with no Functions counterpart, each with the reason.</summary>
    public static IReadOnlyDictionary<string, string> LocalHostOnly { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/openapi/"] = "LocalHost's OpenAPI document for developers; Azure exposes no API description",
        ["/sandbox"] = "the Meta sandbox is a LocalHost-only development tool by design; Azure talks to the real Cloud API",
    };

    /// <summary>Every HTTP-triggered function, its route under host.json's routePrefix as the Functions host serves it.</summary>
    public static IReadOnlyList<HttpEntry> OfFunctions(IEnumerable<FunctionMetadata> functions, string routePrefix) =>
        functions.Where(f => f.HttpTrigger is not null)
            .SelectMany(f => (f.HttpTrigger!.Methods ?? ["*"]).Select(m => new HttpEntry(
                f.Name, m.ToUpperInvariant(), Normalize($"/{routePrefix}/{f.HttpTrigger.Route ?? f.Name}"), f.HttpTrigger.AuthLevel ?? FunctionKey)))
            .ToList();

    /// <summary>Every LocalHost endpoint except the LocalHost-only ones.</summary>
    public static IReadOnlyList<HttpEntry> OfLocalHost(IEnumerable<RouteEndpoint> endpoints) =>
        endpoints.Where(e => !IsLocalHostOnly(e))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => new HttpEntry(
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(unnamed)",
                m.ToUpperInvariant(),
                Normalize(e.RoutePattern.RawText ?? ""),
                e.Metadata.GetMetadata<ApiKeyRequirement>() is null ? Anonymous : FunctionKey)))
            .ToList();

    public static bool IsLocalHostOnly(RouteEndpoint endpoint) =>
        LocalHostOnly.Keys.Any(prefix => (endpoint.RoutePattern.RawText ?? "").StartsWith(prefix, StringComparison.Ordinal));

    /// <returns>One line per entry that only one host has; empty when both expose exactly the same.</returns>
    public static IReadOnlyList<string> Differences(IReadOnlyCollection<HttpEntry> functions, IReadOnlyCollection<HttpEntry> localHost) =>
        [
            .. functions.Except(localHost).Order(Comparer).Select(e => $"only in Functions: {e}"),
            .. localHost.Except(functions).Order(Comparer).Select(e => $"only on LocalHost: {e}"),
        ];

    /// <summary>Case, trailing slash and route constraints do not matter; parameter names do (functions bind by name).</summary>
    public static string Normalize(string route) =>
        Constraint().Replace(MultipleSlashes().Replace("/" + route, "/"), "{$1}").TrimEnd('/').ToLowerInvariant() is { Length: > 0 } r ? r : "/";

    private static IComparer<HttpEntry> Comparer { get; } =
        Comparer<HttpEntry>.Create((a, b) => string.CompareOrdinal(a.Route + a.Method, b.Route + b.Method));

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("/+")]
    private static partial Regex MultipleSlashes();
}
