using System.ComponentModel.DataAnnotations;

namespace Messaging.Shared.Webhooks;

/// <summary>How much inbound processing may run at once (section <c>Processing</c>).</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    /// <summary>LocalHost only: run the queue workers in this process (the Functions host always runs its triggers).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Queue messages (webhooks) one LocalHost worker processes at once. Bounded so processing leaves storage room
    /// for the ack: on LocalHost both share Azurite's single thread.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentWebhooks { get; set; } = 16;

    /// <summary>Within one webhook, how many contacts' events run at once (each contact's events stay in order).</summary>
    [Range(1, 64)]
    public int MaxParallelContactsPerWebhook { get; set; } = 8;

    /// <summary>How long a received queue message stays hidden; renewed while its processing is still running.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
