using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Privacy.Audit;

/// <summary>The audit chain's check over HTTP, for both hosts: walks every entry and names the first link that does not hold.</summary>
public sealed class AuditHandlers(AuditLog audit)
{
    public const string Route = "/api/audit";

    public async Task<Ok<AuditVerification>> VerifyAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await audit.VerifyAsync(cancellationToken));
}
