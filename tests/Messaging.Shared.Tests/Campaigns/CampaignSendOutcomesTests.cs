using Messaging.Shared.Campaigns;
using Messaging.Shared.Consent.Sending;
using Messaging.Shared.Outbound;

namespace Messaging.Shared.Tests.Campaigns;

public sealed class CampaignSendOutcomesTests
{
    private static GuardedSendResult Meta(int code) => new(
        SendDecision.Allow(SendDecisionReason.ConsentConfirmed),
        new OutboundResult("s", "cb", OutboundStatus.Failed, CloudApiErrorClassifier.Classify(code), code));

    private static GuardedSendResult Refused(SendDecisionReason reason) => new(SendDecision.Deny(reason), null);

    [Theory]
    [InlineData(SendDecisionReason.ConsentWithdrawn, "withdrawnDuringCampaign")]
    [InlineData(SendDecisionReason.ContactErased, "erased")]
    [InlineData(SendDecisionReason.NoConfirmedConsent, "noConsent")]
    public void A_recipient_the_gate_refuses_at_send_time_is_skipped_with_the_reason(SendDecisionReason reason, string skipped)
    {
        var outcome = CampaignSendOutcomes.Classify(Refused(reason), finalAttempt: false);

        Assert.Equal(RecipientOutcome.Skip(skipped), outcome);
    }

    [Fact]
    public void Rate_limit_130429_keeps_the_recipient_pending_and_slows_the_campaign() =>
        Assert.Equal(new RecipientOutcome(RecipientState.Pending, Throttled: true), CampaignSendOutcomes.Classify(Meta(130429), false));

    [Fact]
    public void Pair_rate_131056_retries_that_person_later_without_slowing_everyone() =>
        Assert.Equal(new RecipientOutcome(RecipientState.Pending), CampaignSendOutcomes.Classify(Meta(131056), false));

    [Fact]
    public void On_the_last_attempt_a_still_throttled_recipient_fails_with_the_code() =>
        Assert.Equal(RecipientOutcome.Fail("131056"), CampaignSendOutcomes.Classify(Meta(131056), true));

    [Fact]
    public void Per_user_marketing_cap_131049_is_skipped_and_counted() =>
        Assert.Equal(RecipientOutcome.Skip("perUserMarketingCap"), CampaignSendOutcomes.Classify(Meta(131049), false));

    [Fact]
    public void Marketing_stopped_at_meta_131050_skips_and_withdraws_marketing_consent()
    {
        var outcome = CampaignSendOutcomes.Classify(Meta(131050), false);

        Assert.Equal(RecipientState.Skipped, outcome.State);
        Assert.True(outcome.WithdrawMarketing);
    }

    [Fact]
    public void Template_paused_132015_pauses_the_campaign_and_tries_the_person_again_under_a_new_send_id()
    {
        var outcome = CampaignSendOutcomes.Classify(Meta(132015), finalAttempt: true);

        Assert.Equal(RecipientState.Pending, outcome.State);
        Assert.Equal("template-paused (132015)", outcome.PauseReason);
        Assert.True(outcome.NewGeneration);
    }

    [Fact]
    public void Undeliverable_131026_fails_that_person() =>
        Assert.Equal(RecipientOutcome.Fail("131026"), CampaignSendOutcomes.Classify(Meta(131026), false));

    [Fact]
    public void A_send_whose_outcome_is_unknown_is_never_retried() =>
        Assert.Equal(RecipientOutcome.Fail("unknown"), CampaignSendOutcomes.Classify(
            new GuardedSendResult(SendDecision.Allow(SendDecisionReason.ConsentConfirmed), new OutboundResult("s", "cb", OutboundStatus.UnknownOutcome)), false));

    [Fact]
    public void An_already_sent_recipient_stays_sent_when_the_page_runs_again() =>
        Assert.Equal(RecipientOutcome.Sent, CampaignSendOutcomes.Classify(
            new GuardedSendResult(new SendDecision(true, SendDecisionReason.AlreadySettled), new OutboundResult("s", "cb", OutboundStatus.Sent)), false));
    private static GuardedSendResult Outcome(OutboundStatus status, SendErrorCategory? category = null, int? code = null, bool allowed = true) => new(
        allowed ? SendDecision.Allow(SendDecisionReason.ConsentConfirmed) : SendDecision.Deny(SendDecisionReason.ConsentWithdrawn),
        new OutboundResult("s", "cb", status, category, code));

    [Fact]
    public void A_recipient_the_gate_now_refuses_but_whose_send_left_before_a_crash_counts_as_sent() =>
        Assert.Equal(RecipientOutcome.Sent, CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Sent, allowed: false), false));

    [Fact]
    public void A_send_another_sender_still_has_in_hand_keeps_the_recipient_pending_and_fails_on_the_last_attempt()
    {
        Assert.Equal(new RecipientOutcome(RecipientState.Pending), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.InProgress), false));
        Assert.Equal(RecipientOutcome.Fail("in-progress"), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.InProgress), true));
    }

    [Fact]
    public void On_the_last_attempt_a_rate_limited_recipient_fails_with_130429() =>
        Assert.Equal(RecipientOutcome.Fail("130429"), CampaignSendOutcomes.Classify(Meta(130429), true));

    [Theory]
    [InlineData(SendErrorCategory.EcosystemCap, "perUserMarketingCap")]
    [InlineData(SendErrorCategory.ContactUnknown, "unknownContact")]
    [InlineData(SendErrorCategory.NoPhoneNumber, "noPhoneNumber")]
    public void A_refusal_known_only_by_its_category_skips_the_recipient_with_the_reason(SendErrorCategory category, string skipped) =>
        Assert.Equal(RecipientOutcome.Skip(skipped), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Failed, category), false));

    [Fact]
    public void A_marketing_opt_out_known_only_by_its_category_skips_and_withdraws_marketing_consent() =>
        Assert.Equal(
            new RecipientOutcome(RecipientState.Skipped, "marketingStoppedAtMeta", WithdrawMarketing: true),
            CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Failed, SendErrorCategory.MarketingOptOut), false));

    [Theory]
    [InlineData(80007, true)]
    [InlineData(131000, false)]
    public void Other_throttling_and_transient_errors_keep_the_recipient_pending_and_fail_with_the_code_on_the_last_attempt(int code, bool throttled)
    {
        var category = throttled ? SendErrorCategory.Throttled : SendErrorCategory.Transient;

        Assert.Equal(new RecipientOutcome(RecipientState.Pending, Throttled: throttled), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Failed, category, code), false));
        Assert.Equal(RecipientOutcome.Fail(code.ToString(System.Globalization.CultureInfo.InvariantCulture)), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Failed, category, code), true));
    }

    [Theory]
    [InlineData(SendErrorCategory.Throttled, "throttled")]
    [InlineData(SendErrorCategory.Transient, "transient")]
    public void A_throttling_or_transient_error_without_a_code_fails_on_the_last_attempt_named_by_its_kind(SendErrorCategory category, string failed) =>
        Assert.Equal(RecipientOutcome.Fail(failed), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Failed, category), true));

    [Theory]
    [InlineData(SendErrorCategory.ClosedWindow, "ClosedWindow")]
    [InlineData(null, "failed")]
    public void A_failure_without_a_code_is_counted_under_its_category_or_as_failed(SendErrorCategory? category, string failed) =>
        Assert.Equal(RecipientOutcome.Fail(failed), CampaignSendOutcomes.Classify(Outcome(OutboundStatus.Failed, category), false));

    [Fact]
    public void Any_other_code_fails_the_recipient_under_that_code() =>
        Assert.Equal(RecipientOutcome.Fail("131047"), CampaignSendOutcomes.Classify(Meta(131047), false));
}
