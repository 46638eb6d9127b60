namespace Messaging.Shared.Webhooks;

/// <summary>A signed body that is not a webhook we can read. Its message never contains payload text.</summary>
public sealed class WebhookPayloadException : Exception
{
    public WebhookPayloadException(string reason)
        : base(reason)
    {
    }

    public WebhookPayloadException(string reason, Exception inner)
        : base(reason, inner)
    {
    }

    public WebhookPayloadException()
    {
    }
}
