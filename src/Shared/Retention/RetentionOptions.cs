namespace Messaging.Shared.Retention;

/// <summary>
/// How long each class of data is kept. Read from the "Retention" and "DataSubject" sections; each value is an ISO 8601
/// duration or a TimeSpan. The defaults and their reasons are the deletion concept (Löschkonzept): change a value, and
/// the sweeps and the records of processing follow.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Meta retries an unacknowledged webhook for up to 7 days; a de-duplication row must outlive that.</summary>
    public static readonly TimeSpan MetaRetryWindow = TimeSpan.FromDays(7);

    /// <summary>Margin over Meta's retry window for clock skew and a replay of a parked webhook near its end.</summary>
    public static readonly TimeSpan InboxMargin = TimeSpan.FromDays(1);

    /// <summary>Six months of conversation history: enough to follow up a complaint or order, not an archive.</summary>
    public TimeSpan Messages { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Twice Meta's 7-day retry window: a redelivery is recognised, and no event id is kept longer.</summary>
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Sends and their wamid index: late statuses (Meta keeps content up to 30 days) and campaign roll-ups.</summary>
    public TimeSpan Outbox { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Finished workflows only, counted from their end: time to answer "what happened to this opt-in".</summary>
    public TimeSpan Workflows { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Counted from expiry: an expired code can no longer be redeemed, a week answers support questions.</summary>
    public TimeSpan OptInTokens { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events no feature processes yet: a month for a later feature or an operator to look at them.</summary>
    public TimeSpan UnhandledEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Time for an operator to fix a cause and replay; matches Meta's own 30-day content retention.</summary>
    public TimeSpan ParkedWebhooks { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Claim-check bodies; never shorter than ParkedWebhooks, because a parked webhook is replayed from its body.</summary>
    public TimeSpan WebhookBodies { get; set; } = TimeSpan.FromDays(30);

    /// <summary>DataSubject:ExportRetention — an Art. 15/20 export stays downloadable for a week (issue 9), then goes.</summary>
    public TimeSpan ExportRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// DataSubject:ProofRetention — consent proof after withdrawal or erasure, for legal claims (Art. 17(3)(e)): the
    /// regular limitation period of § 195 BGB, three years (1096 days). Telephone advertising would need 5 years (§ 7a UWG).
    /// </summary>
    public TimeSpan ProofRetention { get; set; } = TimeSpan.FromDays(1096);

    /// <summary>24 months without a message either way and without confirmed consent: the contact is erased.</summary>
    public TimeSpan InactiveContacts { get; set; } = TimeSpan.FromDays(730);

    /// <summary>NCRONTAB with seconds (Functions timer format): daily at 02:30 UTC, outside business hours.</summary>
    public string Schedule { get; set; } = "0 30 2 * * *";

    /// <summary>Setting names whose values could not be read; reported by the validator so the host stops naming them.</summary>
    internal List<string> Unparsable { get; } = [];
}
