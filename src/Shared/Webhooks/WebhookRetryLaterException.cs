namespace Messaging.Shared.Webhooks;

/// <summary>An event of this webhook is being processed by another worker right now; try the message again shortly.</summary>
public sealed class WebhookRetryLaterException : Exception
{
    public WebhookRetryLaterException()
        : base("An event of this webhook is held by another worker.")
    {
    }

    public WebhookRetryLaterException(string message)
        : base(message)
    {
    }

    public WebhookRetryLaterException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
