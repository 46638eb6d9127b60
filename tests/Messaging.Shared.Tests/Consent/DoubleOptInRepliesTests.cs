using Messaging.Shared.Consent.OptIn;

namespace Messaging.Shared.Tests.Consent;

public sealed class DoubleOptInRepliesTests
{
    [Fact]
    public void Button_payloads_name_only_the_request_and_the_answer()
    {
        Assert.Equal("doi:r-1:confirm", DoubleOptInReplies.ButtonPayload("r-1", ReplyKind.Confirm));
        Assert.Equal("doi:r-1:decline", DoubleOptInReplies.ButtonPayload("r-1", ReplyKind.Decline));
    }

    [Theory]
    [InlineData(ReplyKind.Confirm)]
    [InlineData(ReplyKind.Decline)]
    public void A_built_payload_parses_back_to_its_request_and_answer(ReplyKind kind)
    {
        var ok = DoubleOptInReplies.TryParseButtonPayload(DoubleOptInReplies.ButtonPayload("req_2026-03-abc", kind), out var requestId, out var parsed);

        Assert.True(ok);
        Assert.Equal("req_2026-03-abc", requestId);
        Assert.Equal(kind, parsed);
    }

    [Theory]
    [InlineData("+491701234567")]
    [InlineData("r:1")]
    [InlineData("")]
    public void A_request_id_that_could_carry_personal_data_or_break_the_format_is_refused(string requestId)
    {
        Assert.Throws<ArgumentException>(() => DoubleOptInReplies.ButtonPayload(requestId, ReplyKind.Confirm));
    }

    [Theory]
    [InlineData("button", "doi:r-1:confirm", ReplyKind.Confirm)]
    [InlineData("button", "doi:r-1:decline", ReplyKind.Decline)]
    [InlineData("interactive", "doi:r-1:confirm", ReplyKind.Confirm)]
    public void A_quick_reply_button_of_the_open_request_is_an_answer(string type, string payload, ReplyKind expected)
    {
        Assert.Equal(expected, DoubleOptInReplies.Classify(type, null, payload, "r-1"));
    }

    [Theory]
    [InlineData("doi:r-0:confirm")]
    [InlineData("doi:r-1:maybe")]
    [InlineData("callback_data")]
    [InlineData("STOP PROMOTIONS")]
    [InlineData(null)]
    public void A_button_that_is_not_ours_or_belongs_to_another_request_is_no_answer(string? payload)
    {
        Assert.Null(DoubleOptInReplies.Classify("button", "Ja", payload, "r-1"));
    }

    [Fact]
    public void Without_a_known_open_request_any_well_formed_payload_is_an_answer()
    {
        Assert.Equal(ReplyKind.Confirm, DoubleOptInReplies.Classify("button", null, "doi:r-9:confirm", requestId: null));
    }

    [Theory]
    [InlineData("JA", ReplyKind.Confirm)]
    [InlineData("ja", ReplyKind.Confirm)]
    [InlineData("  Ja!  ", ReplyKind.Confirm)]
    [InlineData("YES.", ReplyKind.Confirm)]
    [InlineData("yes!!", ReplyKind.Confirm)]
    [InlineData("NEIN", ReplyKind.Decline)]
    [InlineData("nein.", ReplyKind.Decline)]
    [InlineData(" No ", ReplyKind.Decline)]
    public void A_typed_yes_or_no_as_the_whole_message_is_an_answer(string text, ReplyKind expected)
    {
        Assert.Equal(expected, DoubleOptInReplies.Classify("text", text, null, "r-1"));
    }

    [Theory]
    [InlineData("ja bitte")]
    [InlineData("nein, aber später vielleicht")]
    [InlineData("jaa")]
    [InlineData("ja?")]
    [InlineData("")]
    [InlineData(null)]
    public void Any_other_text_is_no_answer(string? text)
    {
        Assert.Null(DoubleOptInReplies.Classify("text", text, null, "r-1"));
    }

    [Theory]
    [InlineData("image")]
    [InlineData("reaction")]
    [InlineData(null)]
    public void Other_message_types_are_no_answer(string? type)
    {
        Assert.Null(DoubleOptInReplies.Classify(type, "ja", "doi:r-1:confirm", "r-1"));
    }
}
