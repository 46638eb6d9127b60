using Messaging.Shared.Consent.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Consent;

/// <summary>
/// The consent management API, as LocalHost's ConsentEndpoints, onto the shared <see cref="ConsentApiHandlers"/>.
/// AuthorizationLevel.Function: the platform enforces x-functions-key before the function runs.
/// </summary>
public sealed class ConsentFunctions(ConsentApiHandlers handlers)
{
    [Function("StartOptIn")]
    public Task<Results<Accepted<OptInAccepted>, ValidationProblem, ProblemHttpResult>> StartOptInAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/optin-requests")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.StartOptInAsync(request, cancellationToken);

    [Function("LookupContact")]
    public Task<Results<Ok<ContactKeyResponse>, NotFound, ValidationProblem, ProblemHttpResult>> LookupAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/contacts/lookup")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.LookupAsync(request, cancellationToken);

    [Function("GetContactConsent")]
    public Task<Results<Ok<ContactConsentResponse>, NotFound>> GetConsentAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/contacts/{contactKey}/consent")] HttpRequest request,
        string contactKey,
        CancellationToken cancellationToken) =>
        handlers.GetConsentAsync(contactKey, cancellationToken);
}
