using Messaging.Shared.Consent;
using Messaging.Shared.Consent.Ledger;
using static Messaging.Shared.Tests.Consent.ConsentTestData;

namespace Messaging.Shared.Tests.Consent;

public sealed class ConsentProjectionTests
{
    private static ConsentHead Given(params ConsentEvent[] history) => ConsentProjection.Replay(Marketing, history);

    [Fact]
    public void A_new_ledger_has_no_consent()
    {
        var head = ConsentHead.Empty(Marketing);

        Assert.Equal(ConsentStatus.None, head.Status);
        Assert.Null(head.ChangedAt);
        Assert.Null(head.LastEventId);
    }

    [Fact]
    public void A_request_makes_consent_pending_for_that_request()
    {
        var head = Given();

        var next = ConsentProjection.Evolve(head, Requested("r-1", 0));

        Assert.Equal(ConsentStatus.Pending, next.Status);
        Assert.Equal("r-1", next.PendingRequestId);
        Assert.Equal(At(0), next.ChangedAt);
        Assert.Equal("req-r-1", next.LastEventId);
    }

    [Fact]
    public void Confirming_the_pending_request_confirms_consent()
    {
        var head = Given(Requested("r-1", 0));

        var next = ConsentProjection.Evolve(head, Confirmed("r-1", 60));

        Assert.Equal(ConsentStatus.Confirmed, next.Status);
        Assert.Null(next.PendingRequestId);
    }

    [Fact]
    public void Confirming_another_request_than_the_pending_one_changes_nothing()
    {
        var head = Given(Requested("r-1", 0));

        Assert.False(ConsentProjection.Accepts(head, Confirmed("r-2", 60)));
        Assert.Equal(head, ConsentProjection.Evolve(head, Confirmed("r-2", 60)));
    }

    [Fact]
    public void Confirmation_without_any_request_changes_nothing()
    {
        var head = Given();

        Assert.Equal(head, ConsentProjection.Evolve(head, Confirmed("r-1", 60)));
    }

    [Fact]
    public void Decline_and_expiry_close_only_the_pending_request()
    {
        var pending = Given(Requested("r-1", 0));

        Assert.Equal(ConsentStatus.Declined, ConsentProjection.Evolve(pending, Declined("r-1", 10)).Status);
        Assert.Equal(ConsentStatus.Expired, ConsentProjection.Evolve(pending, Expired("r-1", 10)).Status);
        Assert.Equal(pending, ConsentProjection.Evolve(pending, Declined("r-2", 10)));
        Assert.Equal(pending, ConsentProjection.Evolve(pending, Expired("r-2", 10)));
    }

    [Fact]
    public void A_newer_request_supersedes_the_pending_one_so_a_late_reply_to_the_old_one_is_ignored()
    {
        var head = Given(Requested("r-1", 0), Requested("r-2", 10));

        var next = ConsentProjection.Evolve(head, Confirmed("r-1", 20));

        Assert.Equal(ConsentStatus.Pending, next.Status);
        Assert.Equal("r-2", next.PendingRequestId);
    }

    public static TheoryData<string> EveryStatusHistory => ["none", "pending", "confirmed", "declined", "expired", "granted"];

    [Theory]
    [MemberData(nameof(EveryStatusHistory))]
    public void Withdrawal_is_honoured_from_every_status(string history)
    {
        var head = history switch
        {
            "none" => Given(),
            "pending" => Given(Requested("r-1", 0)),
            "confirmed" => Given(Requested("r-1", 0), Confirmed("r-1", 5)),
            "declined" => Given(Requested("r-1", 0), Declined("r-1", 5)),
            "expired" => Given(Requested("r-1", 0), Expired("r-1", 5)),
            _ => Given(Granted(5)),
        };

        var next = ConsentProjection.Evolve(head, Withdrawn(100));

        Assert.Equal(ConsentStatus.Withdrawn, next.Status);
        Assert.Null(next.PendingRequestId);
    }

    [Fact]
    public void A_second_withdrawal_changes_nothing()
    {
        var head = Given(Granted(0), Withdrawn(10, "wd-1"));

        Assert.False(ConsentProjection.Accepts(head, Withdrawn(20, "wd-2", WithdrawalReason.MetaUserPreferences)));
        Assert.Equal(head, ConsentProjection.Evolve(head, Withdrawn(20, "wd-2")));
    }

    [Fact]
    public void Redelivering_the_last_event_changes_nothing()
    {
        var head = Given(Requested("r-1", 0));

        Assert.False(ConsentProjection.Accepts(head, Requested("r-1", 0)));
        Assert.Equal(head, ConsentProjection.Evolve(head, Requested("r-1", 0)));
    }

    [Fact]
    public void A_late_confirmation_after_withdrawal_does_not_resurrect_consent()
    {
        var head = Given(Requested("r-1", 0), Withdrawn(10));

        var next = ConsentProjection.Evolve(head, Confirmed("r-1", 20));

        Assert.Equal(ConsentStatus.Withdrawn, next.Status);
    }

    [Fact]
    public void Replaying_the_old_request_after_withdrawal_cannot_reopen_it()
    {
        var head = Given(Requested("r-1", 0), Confirmed("r-1", 5), Withdrawn(10));

        var next = ConsentProjection.Evolve(ConsentProjection.Evolve(head, Requested("r-1", 0)), Confirmed("r-1", 5));

        Assert.Equal(ConsentStatus.Withdrawn, next.Status);
    }

    [Fact]
    public void A_new_request_after_withdrawal_can_be_confirmed()
    {
        var head = Given(Requested("r-1", 0), Confirmed("r-1", 5), Withdrawn(10));

        var next = ConsentProjection.Evolve(ConsentProjection.Evolve(head, Requested("r-2", 20)), Confirmed("r-2", 30));

        Assert.Equal(ConsentStatus.Confirmed, next.Status);
    }

    [Fact]
    public void A_grant_strictly_after_the_withdrawal_confirms_consent_again()
    {
        var head = Given(Granted(0, "gr-1"), Withdrawn(10));

        Assert.Equal(ConsentStatus.Confirmed, ConsentProjection.Evolve(head, Granted(11, "gr-2")).Status);
    }

    [Fact]
    public void A_grant_from_before_or_the_same_second_as_the_withdrawal_does_not_lift_it()
    {
        var head = Given(Granted(0, "gr-1"), Withdrawn(10));

        Assert.Equal(ConsentStatus.Withdrawn, ConsentProjection.Evolve(head, Granted(5, "gr-2")).Status);
        Assert.Equal(ConsentStatus.Withdrawn, ConsentProjection.Evolve(head, Granted(10, "gr-3")).Status);
    }

    [Fact]
    public void A_request_while_consent_is_confirmed_is_refused_so_proven_consent_is_not_downgraded()
    {
        var head = Given(Granted(0));

        Assert.False(ConsentProjection.Accepts(head, Requested("r-1", 10)));
    }

    [Fact]
    public void An_event_older_than_the_last_change_is_stale()
    {
        var head = Given(Requested("r-1", 0), Declined("r-1", 100));

        Assert.False(ConsentProjection.Accepts(head, Granted(50)));
        Assert.False(ConsentProjection.Accepts(head, Withdrawn(50)));
    }

    [Fact]
    public void An_event_for_another_purpose_is_a_wiring_error()
    {
        var head = ConsentHead.Empty("newsletter");

        Assert.Throws<ArgumentException>(() => ConsentProjection.Evolve(head, Granted(0)));
    }

    [Fact]
    public void Event_times_are_stored_as_utc_whole_seconds()
    {
        var local = new DateTimeOffset(2026, 3, 2, 10, 0, 0, 789, TimeSpan.FromHours(1));

        var granted = new ConsentGranted("gr-1", Marketing, local, KeywordProof);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), granted.OccurredAt);
        Assert.Equal(TimeSpan.Zero, granted.OccurredAt.Offset);
    }

    [Theory]
    [InlineData("marketing", true)]
    [InlineData("service-updates", true)]
    [InlineData("Marketing", false)]
    [InlineData("", false)]
    [InlineData("news_letter", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdef", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefg", false)]
    public void Purposes_are_lowercase_letters_and_dashes_up_to_32_characters(string purpose, bool valid)
    {
        Assert.Equal(valid, ConsentPurpose.IsValid(purpose));
    }

    [Fact]
    public void An_event_with_an_invalid_purpose_cannot_be_created()
    {
        Assert.Throws<ArgumentException>(() => new ConsentGranted("gr-1", "Marketing!", T0, KeywordProof));
    }

    [Theory]
    [InlineData("", ConsentChannels.WhatsApp)]
    [InlineData(ConsentSources.CrmApi, " ")]
    public void A_proof_without_source_or_channel_cannot_be_created(string source, string channel)
    {
        Assert.Throws<ArgumentException>(() => new ConsentProof(source, channel, null, null, null, null));
    }
}
