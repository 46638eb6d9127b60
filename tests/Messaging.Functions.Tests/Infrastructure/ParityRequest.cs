using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>One request, sent the same to both hosts.</summary>
/// <param name="Chunked">Send the body without a Content-Length, as a stream of unknown length.</param>
/// <param name="RequiresKey">A call that needs the API key: LocalHost gets <c>x-functions-key</c>; in Azure the platform checks it before the function runs.</param>
public sealed record ParityRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string>? Headers = null,
    byte[]? Body = null,
    string? ContentType = null,
    bool Chunked = false,
    bool RequiresKey = false)
{
    public static ParityRequest Json(string method, string pathAndQuery, string json, IReadOnlyDictionary<string, string>? headers = null) =>
        new(method, pathAndQuery, headers, Encoding.UTF8.GetBytes(json), "application/json", RequiresKey: true);

    public string Path => PathAndQuery.Split('?', 2)[0];

    public string Query => PathAndQuery.Contains('?', StringComparison.Ordinal) ? "?" + PathAndQuery.Split('?', 2)[1] : "";

    public HttpRequestMessage ToHttpRequestMessage(string apiKey)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        if (Body is not null)
        {
            message.Content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
            message.Headers.TransferEncodingChunked = Chunked ? true : null;
            if (ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }
        }

        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (RequiresKey)
        {
            message.Headers.Add("x-functions-key", apiKey);
        }

        return message;
    }

    /// <summary>The request as the Functions worker's ASP.NET Core integration hands it to a function.</summary>
    public DefaultHttpContext ToHttpContext(IServiceProvider requestServices)
    {
        var context = new DefaultHttpContext { RequestServices = requestServices };
        var request = context.Request;
        request.Method = Method;
        request.Scheme = "https";
        request.Host = new HostString("func-messaging.azurewebsites.net");
        request.Path = Path;
        request.QueryString = new QueryString(Query);
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            request.Headers[name] = value;
        }

        if (Body is not null)
        {
            request.Body = new MemoryStream(Body);
            request.ContentLength = Chunked ? null : Body.Length;
            request.ContentType = ContentType;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }
}
