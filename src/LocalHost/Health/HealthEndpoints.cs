using Messaging.Shared.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.LocalHost.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", CheckAsync)
            .WithTags("Health")
            .WithName("Health")
            .WithSummary("200 when storage answers, 503 otherwise.");
        return app;
    }

    internal static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await storage.IsReachableAsync(timeout.Token)
            ? TypedResults.Ok(new HealthReport("healthy", "reachable"))
            : TypedResults.Json(new HealthReport("unhealthy", "unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthReport(string Status, string Storage);
