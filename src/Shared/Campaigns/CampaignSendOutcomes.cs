using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;

namespace Messaging.Shared.Campaigns;

/// <summary>Maps what the consent gate and the outbox said about one send to the campaign's view of that recipient.</summary>
public static class CampaignSendOutcomes
{
    public const string WithdrawnDuringCampaign = "withdrawnDuringCampaign";
    public const string NoConsent = "noConsent";
    public const string Erased = "erased";
    public const string PerUserMarketingCap = "perUserMarketingCap";
    public const string MarketingStoppedAtMeta = "marketingStoppedAtMeta";
    public const string UnknownContact = "unknownContact";
    public const string NoPhoneNumber = "noPhoneNumber";
    public const string TemplatePaused = "template-paused (132015)";

    /// <param name="finalAttempt">The page's last try: what would wait for another try fails instead.</param>
    public static RecipientOutcome Classify(GuardedSendResult result, bool finalAttempt)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Decision.Allowed && result.Outbound is null)
        {
            return RecipientOutcome.Skip(result.Decision.Reason switch
            {
                SendDecisionReason.ContactErased => Erased,
                SendDecisionReason.ConsentWithdrawn => WithdrawnDuringCampaign,
                _ => NoConsent,
            });
        }

        var outbound = result.Outbound!;
        return outbound.Status switch
        {
            OutboundStatus.Sent => RecipientOutcome.Sent,
            // Maybe sent, maybe not: never resent automatically, so it is settled as failed with its own code.
            OutboundStatus.UnknownOutcome => RecipientOutcome.Fail("unknown"),
            OutboundStatus.InProgress => Later(finalAttempt, "in-progress", throttled: false),
            _ => Failed(outbound, finalAttempt),
        };
    }

    private static RecipientOutcome Failed(OutboundResult outbound, bool finalAttempt) => (outbound.ErrorCode, outbound.Category) switch
    {
        (130429, _) => Later(finalAttempt, "130429", throttled: true),
        (131056, _) => Later(finalAttempt, "131056", throttled: false),
        (131049, _) or (_, SendErrorCategory.EcosystemCap) => RecipientOutcome.Skip(PerUserMarketingCap),
        (131050, _) or (_, SendErrorCategory.MarketingOptOut) => new RecipientOutcome(RecipientState.Skipped, MarketingStoppedAtMeta, WithdrawMarketing: true),
        (132015, _) => new RecipientOutcome(RecipientState.Pending, PauseReason: TemplatePaused, NewGeneration: true),
        (131026, _) => RecipientOutcome.Fail("131026"),
        (_, SendErrorCategory.ContactUnknown) => RecipientOutcome.Skip(UnknownContact),
        (_, SendErrorCategory.NoPhoneNumber) => RecipientOutcome.Skip(NoPhoneNumber),
        (var code, SendErrorCategory.Throttled) => Later(finalAttempt, code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "throttled", throttled: true),
        (var code, SendErrorCategory.Transient) => Later(finalAttempt, code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "transient", throttled: false),
        (int code, _) => RecipientOutcome.Fail(code.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        (null, var category) => RecipientOutcome.Fail(category?.ToString() ?? "failed"),
    };

    private static RecipientOutcome Later(bool finalAttempt, string code, bool throttled) =>
        finalAttempt ? RecipientOutcome.Fail(code) : new RecipientOutcome(RecipientState.Pending, Throttled: throttled);
}
