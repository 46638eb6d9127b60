using Messaging.Functions.Hosting;
using Messaging.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Health;

/// <summary>The same probe as LocalHost's /api/health: 200 when storage answers, 503 otherwise.</summary>
public sealed class HealthFunction(StorageClients storage)
{
    [Function("Health")]
    public async Task<IActionResult> CheckAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await HealthReport.CheckAsync(storage, cancellationToken);
        return new TypedResultAction(report.IsHealthy
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
