using Messaging.Shared.Security;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Webhooks;

public sealed class WebhookRoutingKeyTests
{
    private readonly KeyedHasher _hasher = new(new byte[32]);

    [Fact]
    public void Routes_by_a_keyed_hash_of_the_user_never_the_number_itself()
    {
        var key = WebhookRoutingKey.For(WebhookParserTests.Fixture("text"), _hasher);
        Assert.Equal(_hasher.Hash("route", "4915112345678"), key);
        Assert.DoesNotContain("4915112345678", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Statuses_route_to_the_same_session_as_the_recipients_messages() =>
        Assert.Equal(WebhookRoutingKey.For(WebhookParserTests.Fixture("text"), _hasher), WebhookRoutingKey.For(WebhookParserTests.Fixture("statuses"), _hasher));

    [Fact]
    public void Bodies_without_a_user_are_unrouted() =>
        Assert.Equal(WebhookRoutingKey.Unrouted, WebhookRoutingKey.For("{\"entry\":[]}"u8, _hasher));
}
