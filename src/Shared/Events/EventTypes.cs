namespace Messaging.Shared.Events;

/// <summary>The kinds of event a subscription can ask for (Events:Subscriptions:N:Types:M).</summary>
public static class EventTypes
{
    public const string MessageReceived = "message.received";
    public const string MessageStatus = "message.status";
    public const string ConsentChanged = "consent.changed";
    public const string OptInCompleted = "optin.completed";
    public const string ErasureCompleted = "erasure.completed";
    public const string CampaignCompleted = "campaign.completed";

    public static IReadOnlyList<string> All { get; } =
        [MessageReceived, MessageStatus, ConsentChanged, OptInCompleted, ErasureCompleted, CampaignCompleted];
}
