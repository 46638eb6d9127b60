using Messaging.LocalHost.Security;
using Messaging.Shared.Consent.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Messaging.LocalHost.Consent;

/// <summary>The management API for CRM and data-protection staff. Phone numbers travel only in request bodies.</summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Consent").AddEndpointFilter<ApiKeyFilter>();

        group.MapPost("/optin-requests", StartOptInAsync)
            .WithName("StartOptIn")
            .WithSummary("Starts a double opt-in: the contact receives the confirmation template and decides in WhatsApp.");

        group.MapPost("/contacts/lookup", LookupAsync)
            .WithName("LookupContact")
            .WithSummary("Finds the contact key of a phone number (sent in the body, never in the URL).");

        group.MapGet("/contacts/{contactKey}/consent", GetConsentAsync)
            .WithName("GetContactConsent")
            .WithSummary("Consent status per purpose with every proof record.");

        return app;
    }

    internal static async Task<Results<Accepted<OptInAccepted>, ValidationProblem>> StartOptInAsync(
        OptInRequestBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ConsentManagement management, CancellationToken cancellationToken)
    {
        var (accepted, errors) = await management.StartOptInAsync(body, idempotencyKey, cancellationToken);
        return accepted is null ? TypedResults.ValidationProblem(errors!) : TypedResults.Accepted((string?)null, accepted);
    }

    internal static async Task<Results<Ok<ContactKeyResponse>, NotFound, ValidationProblem>> LookupAsync(
        ContactLookupBody body, ConsentManagement management, CancellationToken cancellationToken)
    {
        var (contactKey, errors) = await management.LookupAsync(body, cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return contactKey is null ? TypedResults.NotFound() : TypedResults.Ok(new ContactKeyResponse(contactKey));
    }

    internal static async Task<Results<Ok<ContactConsentResponse>, NotFound>> GetConsentAsync(
        string contactKey, ConsentManagement management, CancellationToken cancellationToken)
    {
        var consent = await management.GetConsentAsync(contactKey, cancellationToken);
        return consent is null ? TypedResults.NotFound() : TypedResults.Ok(consent);
    }
}
