using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Consent.Sending;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

public sealed class SendPolicyTests
{
    private static readonly SendContext InWindow = new(ServiceWindowOpen: true, ContactErased: false);
    private static readonly SendContext OutOfWindow = new(ServiceWindowOpen: false, ContactErased: false);

    private static ConsentHead Head(ConsentStatus status) => ConsentHead.Empty(Marketing) with { Status = status };

    [Theory]
    [InlineData(ConsentStatus.Confirmed, true, SendDecisionReason.ConsentConfirmed)]
    [InlineData(ConsentStatus.None, false, SendDecisionReason.NoConfirmedConsent)]
    [InlineData(ConsentStatus.Pending, false, SendDecisionReason.NoConfirmedConsent)]
    [InlineData(ConsentStatus.Declined, false, SendDecisionReason.NoConfirmedConsent)]
    [InlineData(ConsentStatus.Expired, false, SendDecisionReason.NoConfirmedConsent)]
    [InlineData(ConsentStatus.Withdrawn, false, SendDecisionReason.ConsentWithdrawn)]
    public void Marketing_goes_out_only_with_confirmed_consent(ConsentStatus status, bool allowed, SendDecisionReason reason)
    {
        var decision = SendPolicy.Decide(Head(status), MessageKind.Marketing, OutOfWindow);

        Assert.Equal(new SendDecision(allowed, reason), decision);
    }

    [Fact]
    public void Marketing_without_any_consent_record_is_refused()
    {
        Assert.False(SendPolicy.Decide(null, MessageKind.Marketing, InWindow).Allowed);
    }

    [Theory]
    [InlineData(ConsentStatus.Pending, true)]
    [InlineData(ConsentStatus.None, false)]
    [InlineData(ConsentStatus.Confirmed, false)]
    [InlineData(ConsentStatus.Expired, false)]
    [InlineData(ConsentStatus.Withdrawn, false)]
    public void The_confirmation_template_goes_out_only_while_a_request_is_pending(ConsentStatus status, bool allowed)
    {
        Assert.Equal(allowed, SendPolicy.Decide(Head(status), MessageKind.ConsentConfirmationRequest, OutOfWindow).Allowed);
    }

    [Fact]
    public void A_withdrawal_may_be_acknowledged_inside_the_service_window_but_not_outside_it()
    {
        // Once per STOP is the outbox's part (the send id derives from the STOP message); the Azurite test
        // "confirmed once however often meta delivers" proves it end to end.
        var withdrawn = Head(ConsentStatus.Withdrawn);

        Assert.Equal(SendDecision.Allow(SendDecisionReason.AcknowledgesWithdrawal), SendPolicy.Decide(withdrawn, MessageKind.OptOutConfirmation, InWindow));
        Assert.Equal(SendDecision.Deny(SendDecisionReason.ServiceWindowClosed), SendPolicy.Decide(withdrawn, MessageKind.OptOutConfirmation, OutOfWindow));
    }

    [Fact]
    public void An_opt_out_confirmation_without_a_withdrawal_is_refused()
    {
        Assert.Equal(SendDecision.Deny(SendDecisionReason.NothingToConfirm), SendPolicy.Decide(Head(ConsentStatus.Confirmed), MessageKind.OptOutConfirmation, InWindow));
    }

    [Theory]
    [InlineData(MessageKind.ServiceText)]
    [InlineData(MessageKind.PrivacyNotice)]
    [InlineData(MessageKind.OptOutConfirmation)]
    public void Free_form_messages_go_out_only_inside_the_service_window(MessageKind kind)
    {
        var withdrawn = Head(ConsentStatus.Withdrawn);

        Assert.True(SendPolicy.Decide(withdrawn, kind, InWindow).Allowed);
        Assert.Equal(SendDecision.Deny(SendDecisionReason.ServiceWindowClosed), SendPolicy.Decide(withdrawn, kind, OutOfWindow));
    }

    [Fact]
    public void Utility_templates_need_no_consent_but_respect_a_withdrawal_for_their_purpose()
    {
        Assert.True(SendPolicy.Decide(null, MessageKind.Utility, OutOfWindow).Allowed);
        Assert.True(SendPolicy.Decide(Head(ConsentStatus.Expired), MessageKind.Utility, OutOfWindow).Allowed);
        Assert.False(SendPolicy.Decide(Head(ConsentStatus.Withdrawn), MessageKind.Utility, OutOfWindow).Allowed);
    }

    [Theory]
    [InlineData(MessageKind.Marketing)]
    [InlineData(MessageKind.Utility)]
    [InlineData(MessageKind.ServiceText)]
    [InlineData(MessageKind.ConsentConfirmationRequest)]
    [InlineData(MessageKind.OptOutConfirmation)]
    [InlineData(MessageKind.PrivacyNotice)]
    public void Nothing_at_all_goes_to_an_erased_contact(MessageKind kind)
    {
        foreach (var status in Enum.GetValues<ConsentStatus>())
        {
            var decision = SendPolicy.Decide(Head(status), kind, new SendContext(ServiceWindowOpen: true, ContactErased: true));

            Assert.Equal(SendDecision.Deny(SendDecisionReason.ContactErased), decision);
        }
    }
}
