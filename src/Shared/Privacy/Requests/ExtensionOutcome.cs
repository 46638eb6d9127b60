namespace Messaging.Shared.Privacy.Requests;

/// <summary>What asking for an extension came to: extended, invalid input, unknown request, or refused (with why).</summary>
public sealed record ExtensionOutcome(DataSubjectRequestView? Request, IDictionary<string, string[]>? Errors, string? Refusal)
{
    public static ExtensionOutcome NotFound { get; } = new(null, null, null);

    public static ExtensionOutcome Extended(DataSubjectRequestView request) => new(request, null, null);

    public static ExtensionOutcome Invalid(IDictionary<string, string[]> errors) => new(null, errors, null);

    public static ExtensionOutcome Conflict(string refusal) => new(null, null, refusal);
}
