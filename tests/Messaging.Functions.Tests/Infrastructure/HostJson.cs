using System.Text.Json;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>The repository's host.json, which the Functions host reads at start.</summary>
public static class HostJson
{
    /// <summary>extensions.http.routePrefix; "api" when absent, as in the Functions host.</summary>
    public static string RoutePrefix()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "host.json")));
        return json.RootElement.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix) ? prefix.GetString() ?? "" : "api";
    }
}
