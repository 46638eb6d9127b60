using Messaging.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Health;

/// <summary>The liveness probe of both hosts: 200 when storage answers, 503 otherwise, with the same JSON.</summary>
public sealed class HealthHandlers(StorageClients storage)
{
    public async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await HealthReport.CheckAsync(storage, cancellationToken);
        return report == HealthReport.Healthy
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
