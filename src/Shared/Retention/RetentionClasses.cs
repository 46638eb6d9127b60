namespace Messaging.Shared.Retention;

/// <summary>
/// The classes a sweep handles through the <see cref="RetentionIndex"/>, by their setting's last part. InactiveContacts
/// is one of them, but its due entries are not deleted row by row: each inactive contact is erased through the erasure
/// workflow (<see cref="IInactiveContactEraser"/>).
/// </summary>
public static class RetentionClasses
{
    public const string Messages = "Messages";
    public const string Inbox = "Inbox";
    public const string Outbox = "Outbox";
    public const string Workflows = "Workflows";
    public const string OptInTokens = "OptInTokens";
    public const string UnhandledEvents = "UnhandledEvents";
    public const string ParkedWebhooks = "ParkedWebhooks";
    public const string WebhookBodies = "WebhookBodies";

    /// <summary>Written by the data-subject request feature (issue 9) for exports and consent proof it keeps.</summary>
    public const string InactiveContacts = "InactiveContacts";

    public const string ExportRetention = "ExportRetention";

    public const string ProofRetention = "ProofRetention";

    public static IReadOnlyList<RetentionSetting> Swept { get; } = RetentionSettings.All;
}
