using Messaging.LocalHost.Security;
using Messaging.Shared.Retention.Api;

namespace Messaging.LocalHost.Retention;

/// <summary>For the operator: start a retention sweep on demand and follow it (the Functions app's RetentionFunctions).</summary>
public static class RetentionEndpoints
{
    public static IEndpointRouteBuilder MapRetentionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RetentionSweepHandlers.Route).WithTags("Operations").RequireApiKey();

        group.MapPost("/", (RetentionSweepHandlers handlers, CancellationToken cancellationToken) => handlers.StartAsync(cancellationToken))
            .WithName("StartRetentionSweep")
            .WithSummary("Starts a retention sweep, or returns the one already running.");

        group.MapGet("/{sweepId}", (string sweepId, RetentionSweepHandlers handlers, CancellationToken cancellationToken) =>
                handlers.GetAsync(sweepId, cancellationToken))
            .WithName("GetRetentionSweep")
            .WithSummary("A sweep's status and rows deleted per class of data (retention as ISO 8601 durations).");

        return app;
    }
}
