using Messaging.Shared.Consent.OptInPage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.OptIn;

/// <summary>
/// The web sign-up page, as LocalHost's OptInPageEndpoints, onto the shared <see cref="OptInPageHandlers"/>: the same
/// path outside /api (host.json's routePrefix is empty), no cookie, no antiforgery, nothing per instance.
/// </summary>
public sealed class OptInPageFunctions(OptInPageHandlers handlers)
{
    [Function("ShowOptInPage")]
    public ContentHttpResult Show([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "optin")] HttpRequest request) =>
        handlers.Show(request);

    [Function("SubmitOptInPage")]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "optin")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.SubmitAsync(request, cancellationToken);
}
