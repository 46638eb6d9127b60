using Messaging.Shared.Consent.OptInPage;

namespace Messaging.LocalHost.OptIn;

/// <summary>The web sign-up page (the Functions app's OptInPageFunctions); an HTML page, so not in the OpenAPI document.</summary>
public static class OptInPageEndpoints
{
    public static IEndpointRouteBuilder MapOptInPageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(OptInPageHandlers.Path).WithTags("OptInPage").ExcludeFromDescription();

        group.MapGet("", (HttpRequest request, OptInPageHandlers handlers) => handlers.Show(request))
            .WithName("ShowOptInPage")
            .WithSummary("The sign-up page (lang=de|en, else Accept-Language, else German) with an unticked consent box.");

        group.MapPost("", (HttpRequest request, OptInPageHandlers handlers, CancellationToken cancellationToken) =>
                handlers.SubmitAsync(request, cancellationToken))
            .WithName("SubmitOptInPage")
            .WithSummary("With the box ticked, issues a one-time code and shows the wa.me link; unticked, shows the form again with an error.")
            .DisableAntiforgery();

        return app;
    }
}
