using Messaging.Shared.Retention.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Retention;

/// <summary>
/// The operator's retention-sweep API, as LocalHost's RetentionEndpoints, onto the shared
/// <see cref="RetentionSweepHandlers"/>. AuthorizationLevel.Function: the platform enforces x-functions-key.
/// </summary>
public sealed class RetentionFunctions(RetentionSweepHandlers handlers)
{
    [Function("StartRetentionSweep")]
    public Task<Accepted<RetentionSweepAccepted>> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/operations/retention-sweeps")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handlers.StartAsync(cancellationToken);

    [Function("GetRetentionSweep")]
    public Task<Results<Ok<RetentionSweepResponse>, NotFound, ValidationProblem>> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/retention-sweeps/{sweepId}")] HttpRequest request,
        string sweepId,
        CancellationToken cancellationToken) =>
        handlers.GetAsync(sweepId, cancellationToken);
}
