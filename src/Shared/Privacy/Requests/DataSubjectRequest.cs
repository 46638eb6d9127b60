namespace Messaging.Shared.Privacy.Requests;

/// <summary>A data-subject request as stored: contact key and codes only, never the phone number it arrived with.</summary>
public sealed record DataSubjectRequest(
    string RequestId,
    string Kind,
    string? ContactKey,
    string Channel,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueBy,
    DateTimeOffset? ExtendedTo,
    string? ExtensionReason,
    DateTimeOffset? CompletedAt,
    DataSubjectRequestReport? Report)
{
    /// <summary>Art. 12(3): one calendar month from receipt (a 31st falls on the month's last day).</summary>
    public static DateTimeOffset DueDate(DateTimeOffset receivedAt) => receivedAt.AddMonths(1);

    /// <summary>The deadline in force: the extended one once extended.</summary>
    public DateTimeOffset Deadline => ExtendedTo ?? DueBy;

    public bool IsOverdue(DateTimeOffset now) => DataSubjectRequestKinds.IsOpen(Status) && now > Deadline;
}
