using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Polly;

namespace Messaging.Shared.Outbound;

/// <summary>
/// Decides which failed send attempts the HTTP pipeline may repeat. A send is a non-idempotent POST: repeating one
/// that Meta accepted delivers the message twice. So only failures that prove the message was not taken are retried:
/// the connection never opened (refused, unreachable, DNS, TLS), HTTP 429, or an error envelope whose code means
/// "throttled" or "temporarily unavailable" (<see cref="CloudApiErrorClassifier.IsRetryableImmediately"/>). Timeouts,
/// resets mid-request and 5xx without an envelope are never retried: the request may have been processed.
/// </summary>
public static class CloudApiRetryPolicy
{
    public static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } exception)
        {
            return IsKnownNotSent(exception);
        }

        if (outcome.Result is not { IsSuccessStatusCode: false } response)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        var code = await ReadErrorCodeAsync(response);
        return code is { } c && CloudApiErrorClassifier.IsRetryableImmediately(c);
    }

    /// <summary>True when the exception shows the request never reached a server.</summary>
    public static bool IsKnownNotSent(Exception exception) => exception is HttpRequestException
    {
        HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError,
    } || exception is HttpRequestException
    {
        HttpRequestError: HttpRequestError.ConnectionError,
        InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable },
    };

    /// <summary>The <c>error.code</c> of an error envelope, or null when the body is not one.</summary>
    internal static async ValueTask<int?> ReadErrorCodeAsync(HttpResponseMessage response)
    {
        // Buffer so the client can read the same body after the pipeline has looked at it.
        await response.Content.LoadIntoBufferAsync();
        var body = await response.Content.ReadAsByteArrayAsync();
        return TryParseError(body)?.Code;
    }

    internal static CloudApiError? TryParseError(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CloudApiErrorEnvelope>(body, CloudApiJson.Options)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
