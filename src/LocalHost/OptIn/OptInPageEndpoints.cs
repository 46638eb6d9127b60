using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptInPage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.OptIn;

/// <summary>
/// The web sign-up page: an anonymous visitor ticks the consent box and gets a wa.me link with a one-time code, so
/// the customer writes first and the code ties the web consent to the chat. Rendering lives in the shared core.
/// </summary>
public static class OptInPageEndpoints
{
    private const string Path = "/optin";
    private const string HtmlContentType = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapOptInPageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("OptInPage").ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
        {
            ProtectResponse(context.HttpContext.Response);
            return await next(context);
        });

        group.MapGet("", Show)
            .WithName("ShowOptInPage")
            .WithSummary("The sign-up page (lang=de|en, else Accept-Language, else German) with an unticked consent box.");

        group.MapPost("", SubmitAsync)
            .WithName("SubmitOptInPage")
            .WithSummary("With the box ticked, issues a one-time code and shows the wa.me link; unticked, shows the form again with an error.");

        return app;
    }

    internal static ContentHttpResult Show([FromQuery(Name = "lang")] string? lang, HttpContext context, IAntiforgery antiforgery, IOptions<ConsentOptions> consentOptions)
    {
        context.Response.Headers.Vary = "Accept-Language";
        var language = OptInPageLanguage.Resolve(lang, AcceptedLanguages(context.Request));
        return TypedResults.Content(FormHtml(context, antiforgery, consentOptions.Value, language, consentMissing: false), HtmlContentType);
    }

    internal static async Task<ContentHttpResult> SubmitAsync(
        [FromForm(Name = "consent")] string? consentBox,
        [FromForm(Name = "lang")] string? lang,
        HttpContext context,
        IAntiforgery antiforgery,
        IOptions<ConsentOptions> consentOptions,
        IOptions<OptInPageOptions> options,
        OptInTokenStore tokens,
        CancellationToken cancellationToken)
    {
        var language = OptInPageLanguage.Resolve(lang, AcceptedLanguages(context.Request));

        // Only the visitor's own tick counts; a missing box is a refusal, and nothing is stored for it.
        if (!string.Equals(consentBox, "on", StringComparison.Ordinal))
        {
            return TypedResults.Content(
                FormHtml(context, antiforgery, consentOptions.Value, language, consentMissing: true),
                HtmlContentType,
                statusCode: StatusCodes.Status400BadRequest);
        }

        var token = await tokens.CreateAsync(language, cancellationToken);
        return TypedResults.Content(OptInPageHtml.Result(consentOptions.Value, token, SelfPath(context), options.Value.TokenLifetime), HtmlContentType);
    }

    private static string FormHtml(HttpContext context, IAntiforgery antiforgery, ConsentOptions consent, string language, bool consentMissing)
    {
        var af = antiforgery.GetAndStoreTokens(context);
        return OptInPageHtml.Form(consent, language, SelfPath(context), af.FormFieldName, af.RequestToken ?? "", consentMissing);
    }

    private static string SelfPath(HttpContext context) => context.Request.PathBase + Path;

    private static IEnumerable<string> AcceptedLanguages(HttpRequest request) =>
        request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1.0)
            .Where(l => l.Quality is not 0)
            .Select(l => l.Value.Value ?? "");

    /// <summary>
    /// The form carries an antiforgery token and the result a personal one-time code: neither may be cached by a
    /// browser or proxy. The CSP allows nothing but this page's own stylesheet.
    /// </summary>
    private static void ProtectResponse(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = OptInPageHtml.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
