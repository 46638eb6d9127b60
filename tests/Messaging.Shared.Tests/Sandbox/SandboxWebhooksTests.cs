using System.Text;
using System.Text.Json;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Sandbox;

public sealed class SandboxWebhooksTests
{
    private static readonly SandboxBusiness Business = new("100000000000009", "100000000000001", "15550000001");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);

    [Fact]
    public void A_customer_text_parses_into_the_inbound_message_Meta_would_have_sent()
    {
        var body = SandboxWebhooks.InboundText(Business, "4915112345678", "Erika", "wamid.abc", At, "Gibt es das in Blau? äöü");

        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(body)));
        Assert.Equal("100000000000001", message.PhoneNumberId);
        Assert.Equal("wamid.abc", message.MessageId);
        Assert.Equal("4915112345678", message.FromWaId);
        Assert.Equal(At, message.Timestamp);
        Assert.Equal("text", message.Type);
        Assert.Equal("Gibt es das in Blau? äöü", message.Text);
        Assert.Equal("Erika", message.Contact?.ProfileName);
        Assert.Equal("4915112345678", message.Contact?.WaId);
    }

    [Fact]
    public void Non_ascii_text_goes_on_the_wire_escaped_as_Meta_sends_it()
    {
        var body = SandboxWebhooks.InboundText(Business, "4915112345678", null, "wamid.abc", At, "äöå");

        var raw = Encoding.UTF8.GetString(body);
        Assert.DoesNotContain("ä", raw, StringComparison.Ordinal);
        Assert.Contains("\\u00E4", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_quick_reply_tap_arrives_as_a_button_message_with_payload_and_context()
    {
        var body = SandboxWebhooks.InboundButton(Business, "4915112345678", "Erika", "wamid.tap", At, "doi-confirm", "Ja, ich stimme zu", "wamid.template");

        var message = Assert.IsType<InboundMessage>(Assert.Single(WebhookParser.Parse(body)));
        Assert.Equal("button", message.Type);
        Assert.Equal("doi-confirm", message.ButtonPayload);
        Assert.Equal("Ja, ich stimme zu", message.Text);
        Assert.Equal("wamid.template", message.ContextMessageId);
        Assert.Equal("4915112345678", message.FromWaId);
    }

    [Fact]
    public void Status_webhooks_parse_into_sent_delivered_read_in_that_order_with_pricing_and_callback_data()
    {
        string[] order = ["sent", "delivered", "read"];
        var updates = order
            .Select((status, i) => SandboxWebhooks.Status(Business, "wamid.out", status, At.AddSeconds(i), "4915112345678", "marketing", "cb-1"))
            .Select(body => Assert.IsType<StatusUpdate>(Assert.Single(WebhookParser.Parse(body))))
            .ToList();

        Assert.Equal(order, updates.Select(u => u.Status));
        Assert.All(updates, u =>
        {
            Assert.Equal("wamid.out", u.MessageId);
            Assert.Equal("4915112345678", u.RecipientWaId);
            Assert.Equal("marketing", u.PricingCategory);
            Assert.Equal("cb-1", u.BizOpaqueCallbackData);
            Assert.Empty(u.Errors);
        });
        Assert.True(updates.Select(u => u.Timestamp).SequenceEqual(updates.Select(u => u.Timestamp).Order()));
    }

    [Fact]
    public void A_service_message_status_is_not_billable_and_a_template_status_is()
    {
        using var service = JsonDocument.Parse(SandboxWebhooks.Status(Business, "wamid.a", "sent", At, "4915112345678", "service", null));
        using var marketing = JsonDocument.Parse(SandboxWebhooks.Status(Business, "wamid.b", "sent", At, "4915112345678", "marketing", null));

        Assert.False(Pricing(service).GetProperty("billable").GetBoolean());
        Assert.True(Pricing(marketing).GetProperty("billable").GetBoolean());
        Assert.Equal("PMP", Pricing(marketing).GetProperty("pricing_model").GetString());
    }

    [Fact]
    public void A_failed_status_carries_the_error_code_and_no_pricing()
    {
        var error = SandboxError.Known(131050)!;
        var body = SandboxWebhooks.Status(Business, "wamid.out", "failed", At, "4915112345678", "marketing", null, error);

        var update = Assert.IsType<StatusUpdate>(Assert.Single(WebhookParser.Parse(body)));
        Assert.Equal("failed", update.Status);
        Assert.Equal(131050, Assert.Single(update.Errors).Code);
        Assert.Null(update.PricingCategory);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("resume")]
    public void A_marketing_preference_parses_into_a_user_preference_change(string value)
    {
        var body = SandboxWebhooks.UserPreference(Business, "4915112345678", value, At);

        var change = Assert.IsType<UserPreferenceChange>(Assert.Single(WebhookParser.Parse(body)));
        Assert.Equal("4915112345678", change.WaId);
        Assert.Equal("marketing_messages", change.Category);
        Assert.Equal(value, change.Value);
        Assert.Equal(At, change.Timestamp);
    }

    [Fact]
    public void Signed_sandbox_webhooks_verify_with_the_app_secret_and_not_with_another()
    {
        var body = SandboxWebhooks.InboundText(Business, "4915112345678", null, "wamid.abc", At, "Hallo");
        var signature = new WebhookSignature("app-secret").Sign(body);

        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.Equal(SignatureCheck.Valid, new WebhookSignature("app-secret").Verify(signature, body));
        Assert.Equal(SignatureCheck.Mismatch, new WebhookSignature("other-secret").Verify(signature, body));
    }

    [Fact]
    public void Sandbox_wamids_are_unique_base64url_and_within_Metas_length_limit()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => SandboxWamid.New()).ToList();

        Assert.Equal(100, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.StartsWith("wamid.", id, StringComparison.Ordinal);
            Assert.Matches("^wamid\\.[A-Za-z0-9_-]+$", id);
            Assert.True(id.Length <= 128);
        });
    }

    private static JsonElement Pricing(JsonDocument document) =>
        document.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value").GetProperty("statuses")[0].GetProperty("pricing");
}
