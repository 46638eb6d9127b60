using Messaging.Functions.Hosting;
using Messaging.Shared.Retention.Api;
using Messaging.Shared.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Retention;

/// <summary>
/// Retention sweeps, as LocalHost's RetentionEndpoints, RetentionSweepWorker and RetentionScheduler: the daily timer
/// (schedule from Retention:Schedule), the operator API, and the queue trigger that runs a sweep under its lease.
/// </summary>
public sealed class RetentionFunctions(RetentionSweepOperations operations)
{
    [Function("ScheduledRetentionSweep")]
    public Task ScheduledAsync([TimerTrigger("%Retention:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        operations.StartAsync(cancellationToken);

    [Function("StartRetentionSweep")]
    public async Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/operations/retention-sweeps")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var accepted = await operations.StartAsync(cancellationToken);
        return new TypedResultAction(TypedResults.Accepted($"/api/operations/retention-sweeps/{accepted.SweepId}", accepted));
    }

    [Function("GetRetentionSweep")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/operations/retention-sweeps/{sweepId}")] HttpRequest request,
        string sweepId,
        CancellationToken cancellationToken) =>
        new TypedResultAction(await operations.GetAsync(sweepId, cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound());

    /// <summary>A busy lease throws so the runtime retries with its back-off; a dead sweep's message reappears and resumes.</summary>
    [Function("RunRetentionSweep")]
    public async Task RunAsync(
        [QueueTrigger(StorageNames.RetentionSweepsQueue, Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        if (await operations.HandleAsync(message, dequeueCount, cancellationToken) is not null)
        {
            throw new InvalidOperationException("Another retention sweep holds the lease; retried later.");
        }
    }
}
