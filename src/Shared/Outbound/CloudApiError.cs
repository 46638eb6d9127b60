namespace Messaging.Shared.Outbound;

/// <summary>
/// The <c>error</c> object of a refused call. <see cref="Message"/> and <see cref="ErrorData"/> are Meta's free text and may
/// quote request values, so they are kept for debugging in memory but never logged or stored.
/// </summary>
public sealed class CloudApiError
{
    public int? Code { get; set; }

    public string? Message { get; set; }

    public string? Type { get; set; }

    public CloudApiErrorData? ErrorData { get; set; }

    /// <summary>Meta's trace id: safe to log and what Meta support asks for.</summary>
    public string? FbtraceId { get; set; }

    public override string ToString() => $"CloudApiError {{ Code = {Code}, FbtraceId = {FbtraceId} }}";
}
