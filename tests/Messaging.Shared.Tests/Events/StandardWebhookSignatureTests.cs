using System.Text;
using Messaging.Shared.Events;

namespace Messaging.Shared.Tests.Events;

public sealed class StandardWebhookSignatureTests
{
    [Fact]
    public void The_signature_matches_the_example_of_the_Standard_Webhooks_specification()
    {
        var subscription = new EventSubscription { Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };

        var signature = StandardWebhookSignature.Sign(subscription.SigningKey(), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Another_body_another_signature()
    {
        var key = new EventSubscription { Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }.SigningKey();

        Assert.NotEqual(
            StandardWebhookSignature.Sign(key, "msg_1", 1614265330, Encoding.UTF8.GetBytes("{}")),
            StandardWebhookSignature.Sign(key, "msg_1", 1614265330, Encoding.UTF8.GetBytes("{ }")));
    }
}
