namespace Messaging.Shared.Webhooks;

/// <summary>How long the webhook ack waits for storage (section <c>Webhooks</c>).</summary>
public sealed class IngressOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Longest the ack waits for the durable enqueue before answering 503, so Meta retries instead of waiting on a
    /// hanging storage account. Well under what Meta and BSPs expect (a few seconds).
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
