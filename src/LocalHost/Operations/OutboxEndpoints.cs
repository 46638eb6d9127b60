using Messaging.LocalHost.Security;
using Messaging.Shared.Operations;

namespace Messaging.LocalHost.Operations;

/// <summary>For the operator: sends whose outcome is unknown (the sender died while Meta may have taken the message).</summary>
public static class OutboxEndpoints
{
    public static IEndpointRouteBuilder MapOutboxEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operations/outbox").WithTags("Operations").RequireApiKey();

        group.MapGet("/unknown", (HttpRequest request, OutboxHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ListUnknownAsync(request, cancellationToken))
            .WithName("ListUnknownSends")
            .WithSummary("Sends that may or may not have reached Meta; never resent automatically. ?max=1..1000 (default 100).");

        return app;
    }
}
