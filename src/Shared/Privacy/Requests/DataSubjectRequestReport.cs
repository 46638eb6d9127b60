using Messaging.Shared.Privacy.Erasure;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>
/// What was done for a request, in counts and codes: rows removed per store, workflow instances purged, whether the
/// data key was shredded, and what was kept, for how long and on which legal basis. Holds no personal data.
/// </summary>
/// <param name="Result">"erased", "exported" or "nothing held".</param>
/// <param name="Notification">How the person was told in WhatsApp ("sent", "skipped:window-closed", ...), or null.</param>
/// <param name="ExportAvailableUntil">Access only: when the export is deleted.</param>
/// <param name="Failure">Failed only: the step that kept failing and a reason code ("delete:messages:3: retries-exhausted:RequestFailedException").</param>
public sealed record DataSubjectRequestReport(
    string Result,
    IReadOnlyList<StoreCount> RowsRemoved,
    int WorkflowInstancesPurged,
    bool KeyShredded,
    string? Notification,
    IReadOnlyList<KeptData> Kept,
    DateTimeOffset? ExportAvailableUntil = null,
    string? Failure = null)
{
    public const string Failed = "failed";
    public const string Erased = "erased";
    public const string Exported = "exported";
    public const string NothingHeld = "nothing held";
}

/// <summary>Something kept after the request, with why (<paramref name="LegalBasis"/>) and for how long (ISO 8601, or "indefinite").</summary>
public sealed record KeptData(string Data, string Reason, string LegalBasis, string Retention);
