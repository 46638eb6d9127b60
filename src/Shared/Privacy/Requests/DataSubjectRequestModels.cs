namespace Messaging.Shared.Privacy.Requests;

/// <summary>Body of POST /api/data-subject-requests: exactly one of <paramref name="Phone"/> and <paramref name="ContactKey"/>.</summary>
/// <param name="Kind">"erasure" (Art. 17) or "access" (Art. 15/20).</param>
/// <param name="Channel">How the request reached us: "whatsapp", "email", "web", "phone" or "letter".</param>
/// <param name="ReceivedAt">When it reached us (a letter opened days ago); default now. The month of Art. 12(3) counts from it.</param>
public sealed record DataSubjectRequestBody(string? Kind, string? Phone, string? ContactKey, string? Channel, DateTimeOffset? ReceivedAt);

/// <summary>202 body of POST /api/data-subject-requests. <paramref name="ContactKey"/> is null when we hold nothing.</summary>
public sealed record DataSubjectRequestAccepted(string RequestId, string Kind, string? ContactKey, string Status, DateTimeOffset ReceivedAt, DateTimeOffset DueBy);

/// <summary>GET /api/data-subject-requests/{requestId}: where the request stands and what was done. No personal data.</summary>
public sealed record DataSubjectRequestView(
    string RequestId,
    string Kind,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueBy,
    DateTimeOffset? ExtendedTo,
    string? ExtensionReason,
    DateTimeOffset? CompletedAt,
    DataSubjectRequestReport? Report);

/// <summary>One entry of GET /api/data-subject-requests?status=open; <paramref name="DueBy"/> is the deadline in force (extended or not).</summary>
public sealed record OpenDataSubjectRequest(string RequestId, string Kind, string Status, DateTimeOffset ReceivedAt, DateTimeOffset DueBy, bool Overdue);

/// <summary>Body of POST /api/data-subject-requests/{requestId}/extension (Art. 12(3): complexity or number of requests).</summary>
/// <param name="Months">1 or 2 further months; default 2.</param>
public sealed record DataSubjectRequestExtensionBody(string? Reason, int? Months);
