using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Security;
using Messaging.Shared.Consent.Api;

namespace Messaging.LocalHost.Consent;

/// <summary>The management API for CRM and data-protection staff (the Functions app's ConsentFunctions).</summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Consent").RequireApiKey();

        group.MapPost("/optin-requests", (HttpRequest request, ConsentApiHandlers handlers, CancellationToken cancellationToken) =>
                handlers.StartOptInAsync(request, cancellationToken))
            .WithName("StartOptIn")
            .WithSummary("Starts a double opt-in: the contact receives the confirmation template and decides in WhatsApp. An Idempotency-Key header makes a retry start nothing new.")
            .WithJsonRequestBody<OptInRequestBody>();

        group.MapPost("/contacts/lookup", (HttpRequest request, ConsentApiHandlers handlers, CancellationToken cancellationToken) =>
                handlers.LookupAsync(request, cancellationToken))
            .WithName("LookupContact")
            .WithSummary("Finds the contact key of a phone number (sent in the body, never in the URL).")
            .WithJsonRequestBody<ContactLookupBody>();

        group.MapGet("/contacts/{contactKey}/consent", (string contactKey, ConsentApiHandlers handlers, CancellationToken cancellationToken) =>
                handlers.GetConsentAsync(contactKey, cancellationToken))
            .WithName("GetContactConsent")
            .WithSummary("Consent status per purpose with every proof record.");

        return app;
    }
}
