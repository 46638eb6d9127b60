using System.Net.Http.Headers;
using Messaging.Shared.Webhooks;

namespace Messaging.LocalHost.Sandbox;

/// <summary>
/// Posts a webhook body to the app's own public webhook endpoint, signed with the app secret exactly as Meta signs
/// (HMAC-SHA256 over the raw bytes, <c>sha256=</c> + lowercase hex), so the sandbox goes through the same signature
/// check, queue and processor as production traffic.
/// </summary>
public sealed class SandboxWebhookPoster(IHttpClientFactory httpClients, SandboxActivation sandbox, WebhookSignature signature, ILogger<SandboxWebhookPoster> logger)
{
    public const string HttpClientName = "sandbox-webhooks";

    /// <returns>True when the app acknowledged with 2xx, as Meta would count a delivery.</returns>
    public async Task<bool> PostAsync(string kind, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.WebhookUrl) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature.Sign(body));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Sandbox {Kind} webhook was answered {Status}", kind, (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Sandbox {Kind} webhook could not be delivered ({Error}); is Sandbox:BaseUrl right?", kind, e.HttpRequestError);
            return false;
        }
    }
}
