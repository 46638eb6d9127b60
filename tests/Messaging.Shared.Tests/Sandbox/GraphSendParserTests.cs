using System.Text;
using System.Text.Json;
using Messaging.Shared.Outbound;
using Messaging.Shared.LocalHostOnly.Sandbox;

namespace Messaging.Shared.Tests.Sandbox;

public sealed class GraphSendParserTests
{
    [Fact]
    public void The_text_request_our_client_builds_is_accepted_with_the_wa_id_derived_from_the_number()
    {
        var parse = GraphSendParser.Parse(ClientBody("+4915112345678", OutboundMessage.FromText("Hallo")));

        var send = Assert.IsType<SandboxSend>(parse.Send);
        Assert.Null(parse.Error);
        Assert.Equal("+4915112345678", send.To);
        Assert.Equal("4915112345678", send.WaId);
        Assert.Equal("text", send.Type);
        Assert.Equal("Hallo", send.Text);
        Assert.Equal("cb-1", send.BizOpaqueCallbackData);
    }

    [Fact]
    public void The_template_request_our_client_builds_keeps_name_parameters_and_quick_reply_payloads()
    {
        var message = OutboundMessage.FromTemplate("doi_request", "de",
            TemplateComponent.Body("Erika"), TemplateComponent.QuickReplyButton(0, "doi-yes"), TemplateComponent.QuickReplyButton(1, "doi-no"));

        var send = Assert.IsType<SandboxSend>(GraphSendParser.Parse(ClientBody("+4915112345678", message)).Send);

        Assert.Equal("template", send.Type);
        Assert.Equal("doi_request", send.TemplateName);
        Assert.Equal("de", send.TemplateLanguage);
        Assert.Equal(["Erika"], send.BodyParameters);
        Assert.Equal([new SandboxQuickReply(0, "doi-yes"), new SandboxQuickReply(1, "doi-no")], send.QuickReplies);
    }

    [Theory]
    [InlineData("""{"messaging_product":"sms","to":"4915112345678","type":"text","text":{"body":"x"}}""", 100)]
    [InlineData("""{"to":"4915112345678","type":"text","text":{"body":"x"}}""", 100)]
    [InlineData("""{"messaging_product":"whatsapp","type":"text","text":{"body":"x"}}""", 131008)]
    [InlineData("""{"messaging_product":"whatsapp","to":"not a number","type":"text","text":{"body":"x"}}""", 131009)]
    [InlineData("""{"messaging_product":"whatsapp","to":"123","type":"text","text":{"body":"x"}}""", 131009)]
    [InlineData("""{"messaging_product":"whatsapp","to":"4915112345678","type":"image","image":{}}""", 100)]
    [InlineData("""{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{"body":""}}""", 131008)]
    [InlineData("""{"messaging_product":"whatsapp","to":"4915112345678","type":"text"}""", 131008)]
    [InlineData("""{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"language":{"code":"de"}}}""", 131008)]
    [InlineData("""{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"name":"x"}}""", 131008)]
    [InlineData("""{"messaging_product":"whatsapp","to":"4915112345678","type":"template","template":{"name":"x","language":{"code":"de"},"components":[{"type":"button","sub_type":"quick_reply","parameters":[{"type":"payload","payload":"p"}]}]}}""", 131009)]
    [InlineData("""not json""", 100)]
    [InlineData("""[1,2]""", 100)]
    public void Requests_Graph_would_refuse_are_refused_with_its_code(string body, int code)
    {
        var parse = GraphSendParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(parse.Send);
        Assert.Equal(code, parse.Error?.Code);
        Assert.Equal(400, parse.Error?.HttpStatus);
    }

    [Fact]
    public void A_text_longer_than_4096_characters_is_refused_and_exactly_4096_is_accepted()
    {
        Assert.Equal(131009, GraphSendParser.Parse(ClientBody("4915112345678", OutboundMessage.FromText(new string('x', 4097)))).Error?.Code);
        Assert.NotNull(GraphSendParser.Parse(ClientBody("4915112345678", OutboundMessage.FromText(new string('x', 4096)))).Send);
    }

    [Fact]
    public void The_receipt_lists_input_wa_id_and_wamid_and_marks_templates_accepted()
    {
        var template = GraphSendParser.Parse(ClientBody("+4915112345678", OutboundMessage.FromTemplate("offer", "de"))).Send!;
        var text = GraphSendParser.Parse(ClientBody("+4915112345678", OutboundMessage.FromText("Hallo"))).Send!;

        using var templateReply = JsonDocument.Parse(GraphReplies.Accepted(template, "wamid.t").ToJsonString());
        using var textReply = JsonDocument.Parse(GraphReplies.Accepted(text, "wamid.x").ToJsonString());

        var root = templateReply.RootElement;
        Assert.Equal("whatsapp", root.GetProperty("messaging_product").GetString());
        Assert.Equal("+4915112345678", root.GetProperty("contacts")[0].GetProperty("input").GetString());
        Assert.Equal("4915112345678", root.GetProperty("contacts")[0].GetProperty("wa_id").GetString());
        Assert.Equal("wamid.t", root.GetProperty("messages")[0].GetProperty("id").GetString());
        Assert.Equal("accepted", root.GetProperty("messages")[0].GetProperty("message_status").GetString());
        Assert.False(textReply.RootElement.GetProperty("messages")[0].TryGetProperty("message_status", out _));
    }

    [Fact]
    public void The_error_envelope_has_Graphs_shape()
    {
        var error = SandboxError.Known(131047)!;

        using var document = JsonDocument.Parse(GraphReplies.Error(error, "Atrace").ToJsonString());

        var e = document.RootElement.GetProperty("error");
        Assert.Equal("(#131047) Re-engagement message", e.GetProperty("message").GetString());
        Assert.Equal("OAuthException", e.GetProperty("type").GetString());
        Assert.Equal(131047, e.GetProperty("code").GetInt32());
        Assert.Equal("whatsapp", e.GetProperty("error_data").GetProperty("messaging_product").GetString());
        Assert.False(string.IsNullOrEmpty(e.GetProperty("error_data").GetProperty("details").GetString()));
        Assert.Equal("Atrace", e.GetProperty("fbtrace_id").GetString());
    }

    [Theory]
    [InlineData("4915112345678", true)]
    [InlineData("12345678", true)]
    [InlineData("123456789012345", true)]
    [InlineData("1234567", false)]
    [InlineData("1234567890123456", false)]
    [InlineData("0491511234567", false)]
    [InlineData("+4915112345678", false)]
    [InlineData("49151a2345678", false)]
    public void A_wa_id_is_8_to_15_digits_without_a_leading_zero(string value, bool valid) =>
        Assert.Equal(valid, GraphSendParser.IsWaId(value));

    private static byte[] ClientBody(string to, OutboundMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(CloudApiSendRequest.Create(to, message, "cb-1"), CloudApiJson.Options);
}
