using Messaging.LocalHost.Security;
using Messaging.Shared.Retention.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.LocalHost.Retention;

/// <summary>For the operator: start a retention sweep on demand and follow it.</summary>
public static class RetentionEndpoints
{
    public static IEndpointRouteBuilder MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operations/retention-sweeps").WithTags("Operations").AddEndpointFilter<ApiKeyFilter>();

        group.MapPost("/", StartAsync)
            .WithName("StartRetentionSweep")
            .WithSummary("Starts a retention sweep, or returns the one already running.");

        group.MapGet("/{sweepId}", GetAsync)
            .WithName("GetRetentionSweep")
            .WithSummary("A sweep's status and rows deleted per class of data (retention as ISO 8601 durations).");

        return app;
    }

    internal static async Task<Accepted<RetentionSweepAccepted>> StartAsync(RetentionSweepOperations operations, CancellationToken cancellationToken)
    {
        var accepted = await operations.StartAsync(cancellationToken);
        return TypedResults.Accepted($"/api/operations/retention-sweeps/{accepted.SweepId}", accepted);
    }

    internal static async Task<Results<Ok<RetentionSweepResponse>, NotFound>> GetAsync(
        string sweepId, RetentionSweepOperations operations, CancellationToken cancellationToken) =>
        await operations.GetAsync(sweepId, cancellationToken) is { } sweep ? TypedResults.Ok(sweep) : TypedResults.NotFound();
}
