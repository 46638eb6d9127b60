using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Consent.Keywords;

namespace Messaging.Shared.Tests.Campaigns;

public sealed class CampaignTemplateCheckTests
{
    private static readonly IReadOnlyList<string> Stop = ConsentKeywordOptions.DefaultStop;
    private static readonly CampaignTemplateRef Ref = new("winter_sale", "de");

    private static MessageTemplate Template(string body, string category = "MARKETING", string status = "APPROVED", params MessageTemplateButton[] buttons) =>
        new("winter_sale", "de", category, status,
        [
            new MessageTemplateComponent("BODY", Text: body),
            .. buttons.Length == 0 ? Array.Empty<MessageTemplateComponent>() : [new MessageTemplateComponent("BUTTONS", Buttons: buttons)],
        ]);

    [Fact]
    public void A_marketing_template_with_a_stop_keyword_in_its_text_may_be_used() =>
        Assert.Null(CampaignTemplateCheck.Problem(Template("Hallo {{1}}, 20 % auf alles. Abmelden: STOP"), Ref, 1, Stop));

    [Fact]
    public void A_marketing_template_with_metas_opt_out_button_may_be_used() =>
        Assert.Null(CampaignTemplateCheck.Problem(Template("Hallo {{1}}!", buttons: new MessageTemplateButton("QUICK_REPLY", "Stop promotions")), Ref, 1, Stop));

    [Fact]
    public void Art_21_4_a_marketing_template_without_a_way_to_object_is_refused_with_the_reason()
    {
        var problem = CampaignTemplateCheck.Problem(Template("Hallo {{1}}, nonstop Angebote!"), Ref, 1, Stop);

        Assert.Contains("Art. 21(4)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utility_template_needs_no_objection_hint() =>
        Assert.Null(CampaignTemplateCheck.Problem(Template("Ihre Bestellung {{1}} ist unterwegs.", category: "UTILITY"), Ref, 1, Stop));

    [Fact]
    public void A_missing_template_is_named() =>
        Assert.Equal("Template 'winter_sale' does not exist in language 'de'.", CampaignTemplateCheck.Problem(null, Ref, 0, Stop));

    [Theory]
    [InlineData("PAUSED")]
    [InlineData("PENDING")]
    [InlineData("REJECTED")]
    public void A_template_that_is_not_approved_is_refused(string status) =>
        Assert.Contains("not APPROVED", CampaignTemplateCheck.Problem(Template("STOP", status: status), Ref, 0, Stop), StringComparison.Ordinal);

    [Fact]
    public void A_parameter_count_mismatch_names_both_counts() =>
        Assert.Equal(
            "Template 'winter_sale' has 2 body parameter(s), but the audience supplies 1.",
            CampaignTemplateCheck.Problem(Template("Hallo {{1}}, Code {{2}}. STOP"), Ref, 1, Stop));

    [Fact]
    public void Named_and_repeated_placeholders_count_once_each() =>
        Assert.Equal(2, Template("Hallo {{first_name}}, {{first_name}}: {{ code }}").BodyParameterCount);
    [Theory]
    [InlineData("STOP: so meldest du dich ab. Hallo {{1}}!")]
    [InlineData("Hallo {{1}}, antworte mit STOP, um dich abzumelden.")]
    public void A_stop_keyword_counts_at_the_start_and_in_the_middle_of_the_text(string body) =>
        Assert.Null(CampaignTemplateCheck.Problem(Template(body), Ref, 1, Stop));

    [Fact]
    public void A_stop_keyword_in_the_body_counts_when_the_header_has_none()
    {
        var template = new MessageTemplate("winter_sale", "de", "MARKETING", "APPROVED",
        [
            new MessageTemplateComponent("HEADER", Format: "TEXT", Text: "Winterschlussverkauf"),
            new MessageTemplateComponent("BODY", Text: "Hallo {{1}}, 20 % auf alles. Abmelden: STOP"),
        ]);

        Assert.Null(CampaignTemplateCheck.Problem(template, Ref, 1, Stop));
    }

    [Theory]
    [InlineData("QUICK_REPLY", "Mehr erfahren")]
    [InlineData("URL", "Stop promotions")]
    public void A_button_is_a_way_to_object_only_as_a_quick_reply_that_says_stop(string type, string text) =>
        Assert.Contains("Art. 21(4)", CampaignTemplateCheck.Problem(Template("Hallo {{1}}!", buttons: new MessageTemplateButton(type, text)), Ref, 1, Stop), StringComparison.Ordinal);
}
