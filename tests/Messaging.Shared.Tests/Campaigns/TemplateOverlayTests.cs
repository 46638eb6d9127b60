using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Templates;

namespace Messaging.Shared.Tests.Campaigns;

public sealed class TemplateOverlayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static TemplateState State(string id, string? name, string? language, string? status, string? category = null, string? quality = null) =>
        new(id, name, language, status, null, category, null, quality, T0, null, null);

    [Fact]
    public void A_template_paused_by_webhook_is_paused_whatever_Graph_says()
    {
        var overlaid = MessageTemplateCatalog.Overlay(SandboxTemplates.All, [State("9", "winter_sale", "de", "PAUSED", quality: "RED")]);

        var winterDe = overlaid.Single(t => t is { Name: "winter_sale", Language: "de" });
        Assert.Equal(("PAUSED", "RED"), (winterDe.Status, winterDe.Quality));
        Assert.Equal("APPROVED", overlaid.Single(t => t is { Name: "winter_sale", Language: "en" }).Status);
    }

    [Fact]
    public void A_reinstated_template_counts_as_approved_and_a_category_update_moves_it()
    {
        var overlaid = MessageTemplateCatalog.Overlay(SandboxTemplates.All, [State("9", "spring_teaser", "en", "REINSTATED", category: "UTILITY")]);

        var spring = overlaid.Single(t => t.Name == "spring_teaser");
        Assert.Equal(("APPROVED", "UTILITY"), (spring.Status, spring.Category));
    }

    [Fact]
    public void Graphs_template_id_matches_a_webhook_before_its_name()
    {
        MessageTemplate graph = new("winter_sale", "de", "MARKETING", "APPROVED", [], Id: "1001");

        var overlaid = MessageTemplateCatalog.Overlay([graph], [State("1001", null, null, "DISABLED"), State("2", "winter_sale", "de", "APPROVED")]);

        Assert.Equal("DISABLED", Assert.Single(overlaid).Status);
    }

    [Theory]
    [InlineData("PAUSED", "FIRST_PAUSE", "template-paused (FIRST_PAUSE)")]
    [InlineData("DISABLED", "NONE", "template-disabled")]
    [InlineData("PAUSED", null, "template-paused")]
    public void The_paused_reason_names_the_templates_status_and_Metas_reason(string status, string? reason, string expected) =>
        Assert.Equal(expected, CampaignTemplateObserver.PausedReason(status, reason));
}
