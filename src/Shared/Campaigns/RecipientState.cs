namespace Messaging.Shared.Campaigns;

public enum RecipientState
{
    Pending,
    Sent,
    Skipped,
    Failed,
}
