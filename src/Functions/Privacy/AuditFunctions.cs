using Messaging.Shared.Privacy.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Privacy;

/// <summary>The audit chain's check, as LocalHost's AuditEndpoints, onto the shared <see cref="AuditHandlers"/>.</summary>
public sealed class AuditFunctions(AuditHandlers handlers)
{
    [Function("VerifyAuditLog")]
    public Task<Ok<AuditVerification>> VerifyAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/audit/verify")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.VerifyAsync(cancellationToken);
}
