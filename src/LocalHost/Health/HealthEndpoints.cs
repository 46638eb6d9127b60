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
            .WithSummary("200 when tables, queues and blobs all answer; 503 otherwise, naming which do not.");
        return app;
    }

    internal static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        var report = await HealthReport.CheckAsync(storage, cancellationToken);
        return report.IsHealthy
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
