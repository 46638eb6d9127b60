using System.Text;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Webhooks;

public sealed class WebhookParserTests
{
    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Webhooks", name + ".json"));

    [Fact]
    public void Text_message_carries_sender_body_profile_and_time()
    {
        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(Fixture("text"))));
        Assert.Equal("111222333444555", message.PhoneNumberId);
        Assert.Equal("wamid.TEST-TEXT-0001", message.MessageId);
        Assert.Equal("4915112345678", message.FromWaId);
        Assert.Equal("text", message.Type);
        Assert.Equal("Gibt es das auch in Blau?", message.Text);
        Assert.Equal("Erika Mustermann", message.Contact?.ProfileName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763900000), message.Timestamp);
        Assert.Equal("m:wamid.TEST-TEXT-0001", message.EventId);
    }

    [Fact]
    public void Interactive_button_and_list_replies_carry_their_ids_and_titles()
    {
        var messages = WebhookParser.Parse(Fixture("interactive")).Cast<InboundMessage>().ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal(("cancel-button", "Cancel", "wamid.TEST-CONTEXT-0001"), (messages[0].InteractiveReplyId, messages[0].Text, messages[0].ContextMessageId));
        Assert.Equal(("row-2", "Dienstag"), (messages[1].InteractiveReplyId, messages[1].Text));
    }

    [Fact]
    public void Template_quick_reply_arrives_as_button_with_its_payload()
    {
        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(Fixture("button"))));
        Assert.Equal("button", message.Type);
        Assert.Equal("doi:req-123:confirm", message.ButtonPayload);
        Assert.Equal("Ja, ich stimme zu", message.Text);
    }

    [Fact]
    public void Every_status_in_a_batch_becomes_its_own_event_keyed_by_message_and_status()
    {
        var statuses = WebhookParser.Parse(Fixture("statuses")).Cast<StatusUpdate>().ToList();
        Assert.Equal(["sent", "delivered", "read"], statuses.Select(s => s.Status));
        Assert.All(statuses, s => Assert.Equal("4915112345678", s.RecipientWaId));
        Assert.Equal("marketing", statuses[0].PricingCategory);
        Assert.Equal(3, statuses.Select(s => s.EventId).Distinct().Count());
    }

    [Fact]
    public void Failed_status_carries_its_error_code()
    {
        var status = Assert.IsType<StatusUpdate>(Assert.Single(WebhookParser.Parse(Fixture("status_failed"))));
        Assert.Equal("failed", status.Status);
        Assert.Equal(131050, Assert.Single(status.Errors).Code);
    }

    [Fact]
    public void Value_level_errors_become_account_error_events()
    {
        var error = Assert.IsType<AccountErrorEvent>(Assert.Single(WebhookParser.Parse(Fixture("errors"))));
        Assert.Equal(130429, error.Error.Code);
        Assert.Contains("too many messages", error.Error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void User_preferences_stop_is_parsed_from_its_own_field()
    {
        var preference = Assert.IsType<UserPreferenceChange>(Assert.Single(WebhookParser.Parse(Fixture("user_preferences"))));
        Assert.Equal(("4915112345678", "marketing_messages", "stop"), (preference.WaId, preference.Category, preference.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763900500), preference.Timestamp);
    }

    [Fact]
    public void User_changed_number_names_the_new_number()
    {
        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(Fixture("system_changed_number"))));
        Assert.Equal(new SystemChange("user_changed_number", "4916098765432", null), message.System);
        Assert.Equal("4915112345678", message.FromWaId);
    }

    [Fact]
    public void Username_users_without_a_phone_number_are_identified_by_user_id()
    {
        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(Fixture("bsuid_only"))));
        Assert.Null(message.FromWaId);
        Assert.Equal("DE.13491208655302741918", message.FromUserId);
        Assert.Equal("DE.ENT.99887766", message.Contact?.ParentUserId);
    }

    [Fact]
    public void Unknown_message_types_fields_and_properties_are_kept_not_fatal()
    {
        var events = WebhookParser.Parse(Fixture("media_and_unknown"));
        var image = Assert.IsType<InboundMessage>(events[0]);
        Assert.Equal("Das Muster", image.Text);
        var unknown = Assert.IsType<InboundMessage>(events[1]);
        Assert.Equal("hologram", unknown.Type);
        Assert.Contains("future_field", unknown.RawJson, StringComparison.Ordinal);
        Assert.Equal(131051, Assert.Single(unknown.Errors).Code);
        var template = Assert.IsType<TemplateUpdate>(events[2]);
        Assert.Equal(("message_template_status_update", "1234", "angebot", "APPROVED"), (template.Field, template.TemplateId, template.Name, template.Status));
    }

    [Fact]
    public void Statuses_of_a_group_message_name_the_member_and_never_the_group_as_the_person()
    {
        var statuses = WebhookParser.Parse(Fixture("group_statuses")).Cast<StatusUpdate>().ToList();

        Assert.All(statuses, s => Assert.True(s.IsGroup));
        Assert.Equal((null, null), (statuses[0].PersonWaId, statuses[0].PersonUserId));
        Assert.Equal(("4915112345678", "DE.13491208655302741918"), (statuses[1].PersonWaId, statuses[1].PersonUserId));
        Assert.Equal("Y2FwaV9ncm91cDo0OTMwOTAxODIwOjEyMDM2MzQwMDExMjIzMzQ0", statuses[1].RecipientWaId);
    }

    [Fact]
    public void Revoke_and_edit_name_the_message_they_change_and_an_edit_carries_the_new_text()
    {
        var revoke = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(Fixture("revoke"))));
        var edit = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(Fixture("edit"))));

        Assert.Equal((true, "wamid.TEST-TEXT-0001"), (revoke.IsRevision, revoke.OriginalMessageId));
        Assert.Equal((true, "wamid.TEST-TEXT-0001", "Gibt es das auch in Grün?"), (edit.IsRevision, edit.OriginalMessageId, edit.Text));
    }

    [Fact]
    public void A_user_preference_without_its_own_ids_takes_them_from_contacts()
    {
        var preference = Assert.IsType<UserPreferenceChange>(Assert.Single(WebhookParser.Parse(Fixture("user_preferences_from_contacts"))));

        Assert.Equal(("4915112345678", "DE.13491208655302741918", "stop"), (preference.WaId, preference.UserId, preference.Value));
    }

    [Fact]
    public void Template_status_category_and_quality_webhooks_and_number_quality_are_read_with_the_entry_time()
    {
        var status = Assert.IsType<TemplateUpdate>(Assert.Single(WebhookParser.Parse(Fixture("template_status"))));
        var category = Assert.IsType<TemplateUpdate>(Assert.Single(WebhookParser.Parse(Fixture("template_category"))));
        var quality = Assert.IsType<TemplateUpdate>(Assert.Single(WebhookParser.Parse(Fixture("template_quality"))));
        var number = Assert.IsType<PhoneNumberQualityUpdate>(Assert.Single(WebhookParser.Parse(Fixture("phone_number_quality"))));

        Assert.Equal(("1689556908129832", "PAUSED", "MARKETING", DateTimeOffset.FromUnixTimeSeconds(1763902000)), (status.TemplateId, status.Status, status.Category, status.At));
        Assert.Equal(("UTILITY", "MARKETING"), (category.Category, category.CorrectCategory));
        Assert.Equal(("message_template_quality_update", "YELLOW", "GREEN"), (quality.Field, quality.Quality, quality.PreviousQuality));
        Assert.Equal(("4930901820", "THROUGHPUT_UPGRADE", "TIER_2K"), (number.DisplayPhoneNumber, number.Event, number.MaxDailyConversations));
    }

    [Fact]
    public void Unreadable_items_are_reported_one_by_one_while_the_readable_events_of_the_body_are_kept()
    {
        var body = """{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"text"},{"id":"w1","from":"1","type":"text","text":{"body":"\ud800"}},42,{"id":"w2","from":"1","type":"text","text":{"body":"ok"}}]}}]},"not an entry"]}"""u8.ToArray();

        var parsed = WebhookParser.Read(body);

        Assert.Equal("w2", Assert.IsType<InboundMessage>(Assert.Single(parsed.Events)).MessageId);
        Assert.Equal(4, parsed.Problems.Count);
        Assert.All(parsed.Problems, p => Assert.DoesNotContain("ok", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_rejected_whole()
    {
        var body = Fixture("text").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        Assert.Equal("Body is not valid UTF-8.", Assert.Throws<WebhookPayloadException>(() => WebhookParser.Read(body)).Message);
    }


    [Fact]
    public void A_batch_of_a_thousand_updates_over_several_entries_is_read_completely()
    {
        var statuses = string.Join(",", Enumerable.Range(0, 500).Select(i =>
            $$"""{"id":"wamid.B{{i}}","status":"delivered","timestamp":"1763900000","recipient_id":"49151{{i:D8}}"}"""));
        var entry = $$$"""{"id":"1","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"statuses":[{{{statuses}}}]}}]}""";
        var body = Encoding.UTF8.GetBytes($$"""{"object":"whatsapp_business_account","entry":[{{entry}},{{entry.Replace("wamid.B", "wamid.C", StringComparison.Ordinal)}}]}""");
        Assert.Equal(1000, WebhookParser.Parse(body).Count);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}")]
    [InlineData("{\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{\"type\":\"text\"}]}}]}]}")]
    public void Bodies_that_are_not_readable_webhooks_are_rejected_with_a_reason_free_of_payload(string body)
    {
        var error = Assert.Throws<WebhookPayloadException>(() => WebhookParser.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.DoesNotContain("text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_timestamps_are_accepted_and_nonsense_does_not_throw()
    {
        var body = """{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"w1","from":"1","timestamp":"soon","type":"text","text":{"body":"x"}}]}}]}]}"""u8.ToArray();
        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(body)));
        Assert.Equal(DateTimeOffset.UnixEpoch, message.Timestamp);
    }
}
