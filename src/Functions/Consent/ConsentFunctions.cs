using Messaging.Functions.Hosting;
using Messaging.Shared.Consent.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Consent;

/// <summary>
/// The consent management API, as LocalHost's ConsentEndpoints, onto the shared <see cref="ConsentManagement"/>.
/// AuthorizationLevel.Function: the platform enforces x-functions-key. Phone numbers only ever travel in bodies.
/// </summary>
public sealed class ConsentFunctions(ConsentManagement management)
{
    [Function("StartOptIn")]
    public async Task<IActionResult> StartOptInAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/optin-requests")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (await JsonBody.ReadAsync<OptInRequestBody>(request, cancellationToken) is not { } body)
        {
            return new TypedResultAction(JsonBody.Invalid());
        }

        var (accepted, errors) = await management.StartOptInAsync(body, request.Headers["Idempotency-Key"], cancellationToken);
        return new TypedResultAction(accepted is null ? TypedResults.ValidationProblem(errors!) : TypedResults.Accepted((string?)null, accepted));
    }

    [Function("LookupContact")]
    public async Task<IActionResult> LookupAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/contacts/lookup")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (await JsonBody.ReadAsync<ContactLookupBody>(request, cancellationToken) is not { } body)
        {
            return new TypedResultAction(JsonBody.Invalid());
        }

        var (contactKey, errors) = await management.LookupAsync(body, cancellationToken);
        return new TypedResultAction(errors is not null ? TypedResults.ValidationProblem(errors)
            : contactKey is null ? TypedResults.NotFound() : TypedResults.Ok(new ContactKeyResponse(contactKey)));
    }

    [Function("GetContactConsent")]
    public async Task<IActionResult> GetConsentAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/contacts/{contactKey}/consent")] HttpRequest request,
        string contactKey,
        CancellationToken cancellationToken)
    {
        var consent = await management.GetConsentAsync(contactKey, cancellationToken);
        return new TypedResultAction(consent is null ? TypedResults.NotFound() : TypedResults.Ok(consent));
    }
}
