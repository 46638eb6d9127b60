using System.Net.Http.Headers;
using System.Text.Json;
using Messaging.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Conversations;

/// <summary>
/// Streams an inbound attachment from Meta's media endpoint to the caller: look the media id up
/// (<c>GET /{version}/{media-id}</c> gives a short-lived URL and the MIME type), then pass the download through
/// without writing it anywhere, so no unsealed copy is left behind.
/// </summary>
public sealed class MediaProxy(IHttpClientFactory httpClients, IOptionsMonitor<MetaOptions> meta)
{
    public const string HttpClientName = "meta-media";

    /// <returns>The open download and its MIME type, or null when Meta does not know the id.</returns>
    public async Task<(Stream Content, string MimeType)?> OpenAsync(string mediaId, CancellationToken cancellationToken)
    {
        var options = meta.CurrentValue;
        var http = httpClients.CreateClient(HttpClientName);
        using var lookup = new HttpRequestMessage(HttpMethod.Get, new Uri($"{options.GraphApiBaseUrl.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(options.GraphApiVersion)}/{Uri.EscapeDataString(mediaId)}"));
        lookup.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        using var found = await http.SendAsync(lookup, cancellationToken);
        if (!found.IsSuccessStatusCode)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await found.Content.ReadAsStreamAsync(cancellationToken));
        if (!document.RootElement.TryGetProperty("url", out var url) || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out var downloadUrl))
        {
            return null;
        }

        var mimeType = document.RootElement.TryGetProperty("mime_type", out var mime) ? mime.GetString() : null;
        var download = new HttpRequestMessage(HttpMethod.Get, downloadUrl);
        download.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        var response = await http.SendAsync(download, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            download.Dispose();
            return null;
        }

        return (await response.Content.ReadAsStreamAsync(cancellationToken), mimeType ?? response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream");
    }
}
