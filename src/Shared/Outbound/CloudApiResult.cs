namespace Messaging.Shared.Outbound;

/// <summary>The outcome of one send call, after the resilience pipeline has done its retries.</summary>
public sealed record CloudApiResult(
    CloudApiOutcome Outcome,
    string? Wamid = null,
    string? MessageStatus = null,
    int? HttpStatus = null,
    SendErrorCategory? Category = null,
    CloudApiError? Error = null)
{
    public int? ErrorCode => Error?.Code;

    public static CloudApiResult Accepted(string wamid, string? messageStatus, int httpStatus) => new(CloudApiOutcome.Accepted, wamid, messageStatus, httpStatus);

    public static CloudApiResult NotAccepted(SendErrorCategory category, int? httpStatus, CloudApiError? error) =>
        new(CloudApiOutcome.NotAccepted, HttpStatus: httpStatus, Category: category, Error: error);

    public static CloudApiResult Unknown(int? httpStatus) => new(CloudApiOutcome.Unknown, HttpStatus: httpStatus);

    // A wamid embeds the recipient's phone number (base64), so it never appears in ToString.
    public override string ToString() =>
        $"CloudApiResult {{ Outcome = {Outcome}, HttpStatus = {HttpStatus}, Category = {Category}, ErrorCode = {ErrorCode}, MessageStatus = {MessageStatus} }}";
}
