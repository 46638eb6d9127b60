using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Webhooks;

public sealed class WebhookVerificationTests
{
    [Fact]
    public void Echoes_the_challenge_when_mode_and_token_match() =>
        Assert.Equal("1158201444", WebhookVerification.Challenge("subscribe", "meatyhamhock", "1158201444", "meatyhamhock"));

    [Theory]
    [InlineData("subscribe", "wrong", "1158201444")]
    [InlineData("unsubscribe", "meatyhamhock", "1158201444")]
    [InlineData(null, "meatyhamhock", "1158201444")]
    [InlineData("subscribe", null, "1158201444")]
    [InlineData("subscribe", "meatyhamhock", null)]
    [InlineData("subscribe", "meatyhamhock", "<script>alert(1)</script>")]
    public void Refuses_anything_else(string? mode, string? token, string? challenge) =>
        Assert.Null(WebhookVerification.Challenge(mode, token, challenge, "meatyhamhock"));

    [Fact]
    public void Refuses_when_no_verify_token_is_configured() =>
        Assert.Null(WebhookVerification.Challenge("subscribe", "", "1", ""));
}
