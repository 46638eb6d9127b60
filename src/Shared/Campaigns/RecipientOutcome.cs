namespace Messaging.Shared.Campaigns;

/// <summary>
/// What one send attempt means for a recipient of a campaign: settled (sent, skipped with a reason, failed with a
/// code) or still pending, and what the campaign has to do about it.
/// </summary>
/// <param name="Reason">Skip reason or failure code; null when sent or pending.</param>
/// <param name="Throttled">Meta's 130429: the whole number is too fast, the campaign slows down.</param>
/// <param name="PauseReason">The template cannot be sent (132015): the campaign pauses with this reason.</param>
/// <param name="WithdrawMarketing">Meta's 131050: the person stopped marketing; the ledger records the withdrawal.</param>
/// <param name="NewGeneration">Meta certainly did not take the message: the next try is a new send id.</param>
public sealed record RecipientOutcome(
    RecipientState State,
    string? Reason = null,
    bool Throttled = false,
    string? PauseReason = null,
    bool WithdrawMarketing = false,
    bool NewGeneration = false)
{
    public static RecipientOutcome Sent { get; } = new(RecipientState.Sent);

    public static RecipientOutcome Skip(string reason) => new(RecipientState.Skipped, reason);

    public static RecipientOutcome Fail(string code) => new(RecipientState.Failed, code);
}
