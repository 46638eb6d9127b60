using Messaging.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Health;

/// <summary>The liveness probe of both hosts: 200 when tables, queues and blobs answer, 503 naming what is down, with the same JSON.</summary>
public sealed class HealthHandlers(StorageClients storage)
{
    public async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await HealthReport.CheckAsync(storage, cancellationToken);
        return report.IsHealthy
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
