using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Consent.Api;

/// <summary>
/// The consent management API over HTTP, for both hosts, onto <see cref="ConsentManagement"/>. Callers hold the API
/// key (the Function key in Azure). Phone numbers travel only in request bodies, never in a URL.
/// </summary>
public sealed class ConsentApiHandlers(ConsentManagement management)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public async Task<Results<Accepted<OptInAccepted>, ValidationProblem, ProblemHttpResult>> StartOptInAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await JsonRequestBody.ReadAsync<OptInRequestBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        var (accepted, errors) = await management.StartOptInAsync(body, request.Headers[IdempotencyKeyHeader], cancellationToken);
        return accepted is null ? TypedResults.ValidationProblem(errors!) : TypedResults.Accepted((string?)null, accepted);
    }

    public async Task<Results<Ok<ContactKeyResponse>, NotFound, ValidationProblem, ProblemHttpResult>> LookupAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await JsonRequestBody.ReadAsync<ContactLookupBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        var (contactKey, errors) = await management.LookupAsync(body, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return contactKey is null ? TypedResults.NotFound() : TypedResults.Ok(new ContactKeyResponse(contactKey));
    }

    public async Task<Results<Ok<ContactConsentResponse>, NotFound>> GetConsentAsync(string contactKey, CancellationToken cancellationToken)
    {
        var consent = await management.GetConsentAsync(contactKey, cancellationToken);
        return consent is null ? TypedResults.NotFound() : TypedResults.Ok(consent);
    }
}
