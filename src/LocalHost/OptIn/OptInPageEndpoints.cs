using Messaging.Shared.Consent;
using Messaging.Shared.Consent.OptInPage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.OptIn;

/// <summary>
/// The web sign-up page: an anonymous visitor ticks the consent box and gets a wa.me link with a one-time code, so
/// the customer writes first and the code ties the web consent to the chat. Rendering lives in the shared core.
/// The page sets no cookie at all, antiforgery included: the form carries no ambient authority a forged post could
/// abuse (a forged sign-up only yields a code the attacker could have fetched directly, and consent still needs
/// the customer's own WhatsApp message and confirmation), and a cookie-free page needs no cookie consent.
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
            .WithSummary("With the box ticked, issues a one-time code and shows the wa.me link; unticked, shows the form again with an error.")
            .DisableAntiforgery();

        return app;
    }

    internal static ContentHttpResult Show([FromQuery(Name = "lang")] string? lang, HttpContext context, IOptions<ConsentOptions> consentOptions)
    {
        context.Response.Headers.Vary = "Accept-Language";
        var language = OptInPageLanguage.Resolve(lang, context.Request.Headers.AcceptLanguage.ToString());
        return TypedResults.Content(FormHtml(context, consentOptions.Value, language, consentMissing: false), HtmlContentType);
    }

    internal static async Task<ContentHttpResult> SubmitAsync(
        [FromForm(Name = "consent")] string? consentBox,
        [FromForm(Name = "lang")] string? lang,
        HttpContext context,
        IOptions<ConsentOptions> consentOptions,
        IOptions<OptInPageOptions> options,
        OptInTokenStore tokens,
        CancellationToken cancellationToken)
    {
        var language = OptInPageLanguage.Resolve(lang, context.Request.Headers.AcceptLanguage.ToString());

        // Only the visitor's own tick counts; a missing box is a refusal, and nothing is stored for it.
        if (!string.Equals(consentBox, "on", StringComparison.Ordinal))
        {
            return TypedResults.Content(
                FormHtml(context, consentOptions.Value, language, consentMissing: true),
                HtmlContentType,
                statusCode: StatusCodes.Status400BadRequest);
        }

        var token = await tokens.CreateAsync(language, cancellationToken);
        return TypedResults.Content(OptInPageHtml.Result(consentOptions.Value, token, SelfPath(context), options.Value.TokenLifetime), HtmlContentType);
    }

    private static string FormHtml(HttpContext context, ConsentOptions consent, string language, bool consentMissing) =>
        OptInPageHtml.Form(consent, language, SelfPath(context), consentMissing);

    private static string SelfPath(HttpContext context) => context.Request.PathBase + Path;

    private static void ProtectResponse(HttpResponse response)
    {
        foreach (var (name, value) in OptInPageHtml.ResponseHeaders)
        {
            response.Headers[name] = value;
        }
    }
}
