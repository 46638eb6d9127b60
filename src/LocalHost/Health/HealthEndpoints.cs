using Messaging.Shared.Health;

namespace Messaging.LocalHost.Health;

/// <summary>The probe (the Functions app's HealthFunction).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Health");

        group.MapGet("/health", (HealthHandlers handlers, CancellationToken cancellationToken) => handlers.CheckAsync(cancellationToken))
            .WithName("Health")
            .WithSummary("200 when tables, queues and blobs all answer; 503 otherwise, naming which do not.");

        return app;
    }
}
