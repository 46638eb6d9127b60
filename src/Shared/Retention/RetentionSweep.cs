namespace Messaging.Shared.Retention;

/// <summary>A sweep as the API shows it. <c>Status</c> is running, completed or failed.</summary>
public sealed record RetentionSweep(
    string SweepId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<SweepClassProgress> Classes)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
