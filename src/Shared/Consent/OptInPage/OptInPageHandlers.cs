using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Consent.OptInPage;

/// <summary>
/// The web sign-up page over HTTP, for both hosts: an anonymous visitor ticks the consent box and gets a wa.me link
/// with a one-time code, so the customer writes first and the code ties the web consent to the chat. The page sets
/// no cookie at all, antiforgery included: the form carries no ambient authority a forged post could abuse (a
/// forged sign-up only yields a code the attacker could have fetched directly, and consent still needs the
/// customer's own WhatsApp message and confirmation), a cookie-free page needs no cookie consent, and nothing
/// per-instance breaks a scaled-out Functions app.
/// </summary>
public sealed class OptInPageHandlers(IOptions<ConsentOptions> consent, IOptions<OptInPageOptions> options, OptInTokenStore tokens)
{
    /// <summary>Outside /api on both hosts (the Functions app's routePrefix is empty).</summary>
    public const string Path = "/optin";

    private const string HtmlContentType = "text/html; charset=utf-8";

    /// <summary>The form (lang=de|en, else Accept-Language, else German) with an unticked consent box.</summary>
    public ContentHttpResult Show(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Protect(request.HttpContext.Response);
        request.HttpContext.Response.Headers.Vary = "Accept-Language";
        var language = OptInPageLanguage.Resolve(request.Query["lang"], request.Headers.AcceptLanguage.ToString());
        return TypedResults.Content(OptInPageHtml.Form(consent.Value, language, SelfPath(request), consentMissing: false), HtmlContentType);
    }

    /// <summary>Ticked: a one-time code and the wa.me link. Unticked: the form again with an error, and nothing stored.</summary>
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Protect(request.HttpContext.Response);
        if (await ReadFormAsync(request, cancellationToken) is not { } form)
        {
            return TypedResults.Problem("Expected the sign-up form (application/x-www-form-urlencoded).", statusCode: StatusCodes.Status400BadRequest);
        }

        var language = OptInPageLanguage.Resolve(form["lang"], request.Headers.AcceptLanguage.ToString());
        // Only the visitor's own tick counts; a missing box is a refusal, and nothing is stored for it.
        if (!string.Equals(form["consent"], "on", StringComparison.Ordinal))
        {
            return TypedResults.Content(
                OptInPageHtml.Form(consent.Value, language, SelfPath(request), consentMissing: true), HtmlContentType, statusCode: StatusCodes.Status400BadRequest);
        }

        var token = await tokens.CreateAsync(language, cancellationToken);
        return TypedResults.Content(OptInPageHtml.Result(consent.Value, token, SelfPath(request), options.Value.TokenLifetime), HtmlContentType);
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            // Malformed or over the form limits.
            return null;
        }
    }

    private static string SelfPath(HttpRequest request) => request.PathBase + Path;

    private static void Protect(HttpResponse response)
    {
        foreach (var (name, value) in OptInPageHtml.ResponseHeaders)
        {
            response.Headers[name] = value;
        }
    }
}
