namespace Messaging.Shared.Retention;

/// <summary>The configuration keys of every retention period, and where each value lives in <see cref="RetentionOptions"/>.</summary>
public static class RetentionSettings
{
    public const string Section = "Retention";
    public const string DataSubjectSection = "DataSubject";
    public const string Schedule = "Retention:Schedule";

    public static IReadOnlyList<RetentionSetting> All { get; } =
    [
        new("Retention:Messages", o => o.Messages, (o, v) => o.Messages = v),
        new("Retention:Inbox", o => o.Inbox, (o, v) => o.Inbox = v),
        new("Retention:Outbox", o => o.Outbox, (o, v) => o.Outbox = v),
        new("Retention:Workflows", o => o.Workflows, (o, v) => o.Workflows = v),
        new("Retention:OptInTokens", o => o.OptInTokens, (o, v) => o.OptInTokens = v),
        new("Retention:UnhandledEvents", o => o.UnhandledEvents, (o, v) => o.UnhandledEvents = v),
        new("Retention:ParkedWebhooks", o => o.ParkedWebhooks, (o, v) => o.ParkedWebhooks = v),
        new("Retention:WebhookBodies", o => o.WebhookBodies, (o, v) => o.WebhookBodies = v),
        new("DataSubject:ExportRetention", o => o.ExportRetention, (o, v) => o.ExportRetention = v),
        new("DataSubject:ProofRetention", o => o.ProofRetention, (o, v) => o.ProofRetention = v),
        new("Retention:InactiveContacts", o => o.InactiveContacts, (o, v) => o.InactiveContacts = v),
    ];

    public static RetentionSetting Get(string name) => All.Single(s => s.Name == name);
}

/// <summary>One retention setting: its configuration key, and its short name (the key's last part) used by the API.</summary>
public sealed record RetentionSetting(string Key, Func<RetentionOptions, TimeSpan> Read, Action<RetentionOptions, TimeSpan> Write)
{
    public string Name { get; } = Key[(Key.IndexOf(':', StringComparison.Ordinal) + 1)..];
}
