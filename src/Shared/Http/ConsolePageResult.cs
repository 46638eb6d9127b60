using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Messaging.Shared.Http;

/// <summary>
/// A console page with its security headers, the same on both hosts: the policy of <see cref="ConsolePage"/>, no
/// caching (the page is small and a stale copy would hide a fixed policy), no MIME sniffing, no referrer.
/// </summary>
public sealed class ConsolePageResult(ConsolePage page) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => HtmlContentType;

    public ConsolePage Page { get; } = page;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HtmlContentType;
        response.Headers.ContentSecurityPolicy = Page.ContentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(Page.Html, Encoding.UTF8, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [HtmlContentType]));
    }
}
