using System.Net.Http.Headers;
using System.Text.Json;
using Messaging.Shared.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Sends one message through the WhatsApp Cloud API. Retries happen in the HttpClient's resilience pipeline
/// (<see cref="CloudApiRetryPolicy"/>); this class turns whatever came out of it into a <see cref="CloudApiResult"/>
/// that says whether Meta accepted, refused, or may or may not have taken the message.
/// </summary>
public sealed class CloudApiClient(HttpClient http, IOptionsMonitor<MetaOptions> meta, ILogger<CloudApiClient> logger)
{
    /// <param name="to">E.164 phone number of the recipient.</param>
    /// <param name="bizOpaqueCallbackData">Our opaque send id, echoed in status webhooks; no personal data.</param>
    public async Task<CloudApiResult> SendAsync(string to, OutboundMessage message, string? bizOpaqueCallbackData, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(to);
        ArgumentNullException.ThrowIfNull(message);
        var options = meta.CurrentValue;
        if (string.IsNullOrWhiteSpace(options.PhoneNumberId))
        {
            throw new InvalidOperationException("Meta:PhoneNumberId is not configured.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUri(options))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(CloudApiSendRequest.Create(to, message, bizOpaqueCallbackData), CloudApiJson.Options)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (!string.IsNullOrWhiteSpace(options.AccessToken))
        {
            // Read per call so a rotated token (Key Vault reference reload) is picked up without a restart.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (CloudApiRetryPolicy.IsKnownNotSent(e))
        {
            logger.LogWarning("Cloud API unreachable ({Error}); the message was not sent", ((HttpRequestException)e).HttpRequestError);
            return CloudApiResult.NotAccepted(SendErrorCategory.Transient, null, null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            logger.LogWarning("Cloud API call ended without an answer ({ExceptionType}); outcome unknown", e.GetType().Name);
            return CloudApiResult.Unknown(null);
        }

        using (response)
        {
            return await InterpretAsync(response, cancellationToken);
        }
    }

    private async Task<CloudApiResult> InterpretAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            CloudApiSendResponse? parsed = null;
            try
            {
                parsed = JsonSerializer.Deserialize<CloudApiSendResponse>(body, CloudApiJson.Options);
            }
            catch (JsonException)
            {
            }

            var receipt = parsed?.Messages is [var first, ..] ? first : null;
            if (string.IsNullOrEmpty(receipt?.Id))
            {
                // A 2xx without a wamid may still be an accepted message; we cannot tell, so we must not resend.
                logger.LogWarning("Cloud API answered {Status} without a message id; outcome unknown", status);
                return CloudApiResult.Unknown(status);
            }

            return CloudApiResult.Accepted(receipt.Id, receipt.MessageStatus, status);
        }

        var error = CloudApiRetryPolicy.TryParseError(body);
        if (error is null && status >= 500)
        {
            // A bare 5xx may come from a proxy that already forwarded the request.
            logger.LogWarning("Cloud API answered {Status} without an error envelope; outcome unknown", status);
            return CloudApiResult.Unknown(status);
        }

        var category = CloudApiErrorClassifier.Classify(error?.Code, status);
        logger.LogWarning("Cloud API refused the message: {Status} code {Code} ({Category}), fbtrace_id {FbtraceId}", status, error?.Code, category, error?.FbtraceId);
        return CloudApiResult.NotAccepted(category, status, error);
    }

    private static Uri MessagesUri(MetaOptions options) =>
        new($"{options.GraphApiBaseUrl.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(options.GraphApiVersion)}/{Uri.EscapeDataString(options.PhoneNumberId!)}/messages");
}
