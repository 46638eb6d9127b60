using Messaging.Shared.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Health;

/// <summary>The probe, as LocalHost's HealthEndpoints, onto the shared <see cref="HealthHandlers"/>.</summary>
public sealed class HealthFunction(HealthHandlers handlers)
{
    [Function("Health")]
    public Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.CheckAsync(cancellationToken);
}
