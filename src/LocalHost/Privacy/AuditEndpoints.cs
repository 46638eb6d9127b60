using Messaging.LocalHost.Security;
using Messaging.Shared.Privacy.Audit;

namespace Messaging.LocalHost.Privacy;

/// <summary>The audit chain's check for data-protection staff and auditors (the Functions app's AuditFunctions).</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(AuditHandlers.Route).WithTags("Audit").RequireApiKey();

        group.MapGet("/verify", (AuditHandlers handlers, CancellationToken cancellationToken) => handlers.VerifyAsync(cancellationToken))
            .WithName("VerifyAuditLog")
            .WithSummary("Recomputes the hash chain of the audit log: entries, whether it holds, and the first entry where it breaks.");

        return app;
    }
}
