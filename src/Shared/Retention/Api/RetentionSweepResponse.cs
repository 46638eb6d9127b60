namespace Messaging.Shared.Retention.Api;

/// <summary>GET /api/operations/retention-sweeps/{sweepId}. Retention periods are ISO 8601 durations.</summary>
public sealed record RetentionSweepResponse(
    string SweepId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<RetentionSweepClass> Classes);

/// <summary>One class in a sweep: the setting's last part, its period, and the rows deleted so far.</summary>
public sealed record RetentionSweepClass(string Name, string Retention, long Deleted);

/// <summary>202 body of POST /api/operations/retention-sweeps.</summary>
public sealed record RetentionSweepAccepted(string SweepId);
