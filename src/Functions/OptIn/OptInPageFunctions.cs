using Messaging.Functions.Hosting;
using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptInPage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Messaging.Functions.OptIn;

/// <summary>
/// The web sign-up page, as LocalHost's OptInPageEndpoints (same path outside /api: host.json's routePrefix is
/// empty). Rendering and tokens live in the shared core. Like LocalHost's, the page sets no cookie and uses no
/// antiforgery token (nothing a forged post could abuse), so it works the same on every instance of a scaled-out app.
/// </summary>
public sealed class OptInPageFunctions(
    IOptions<ConsentOptions> consent, IOptions<OptInPageOptions> options, OptInTokenStore tokens)
{
    private const string Path = "/optin";
    private const string HtmlContentType = "text/html; charset=utf-8";

    [Function("ShowOptInPage")]
    public IActionResult Show([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "optin")] HttpRequest request)
    {
        Protect(request.HttpContext.Response);
        request.HttpContext.Response.Headers.Vary = "Accept-Language";
        var language = OptInPageLanguage.Resolve(request.Query["lang"], request.Headers.AcceptLanguage.ToString());
        return new TypedResultAction(TypedResults.Content(FormHtml(request.HttpContext, language, consentMissing: false), HtmlContentType));
    }

    [Function("SubmitOptInPage")]
    public async Task<IActionResult> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "optin")] HttpRequest request, CancellationToken cancellationToken)
    {
        Protect(request.HttpContext.Response);
        if (!request.HasFormContentType)
        {
            return new TypedResultAction(TypedResults.Problem("Expected the sign-up form.", statusCode: StatusCodes.Status400BadRequest));
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var language = OptInPageLanguage.Resolve(form["lang"], request.Headers.AcceptLanguage.ToString());
        // Only the visitor's own tick counts; a missing box is a refusal, and nothing is stored for it.
        if (!string.Equals(form["consent"], "on", StringComparison.Ordinal))
        {
            return new TypedResultAction(TypedResults.Content(
                FormHtml(request.HttpContext, language, consentMissing: true), HtmlContentType, statusCode: StatusCodes.Status400BadRequest));
        }

        var token = await tokens.CreateAsync(language, cancellationToken);
        return new TypedResultAction(TypedResults.Content(
            OptInPageHtml.Result(consent.Value, token, request.PathBase + Path, options.Value.TokenLifetime), HtmlContentType));
    }

    private string FormHtml(HttpContext context, string language, bool consentMissing) =>
        OptInPageHtml.Form(consent.Value, language, context.Request.PathBase + Path, consentMissing);

    private static void Protect(HttpResponse response)
    {
        foreach (var (name, value) in OptInPageHtml.ResponseHeaders)
        {
            response.Headers[name] = value;
        }
    }
}
