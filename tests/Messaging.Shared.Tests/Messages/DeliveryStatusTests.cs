using FsCheck.Xunit;

using Messaging.Shared.Messages;

namespace Messaging.Shared.Tests.Messages;

public sealed class DeliveryStatusTests
{
    [Theory]
    [InlineData(null, "sent", "sent")]
    [InlineData("sent", "delivered", "delivered")]
    [InlineData("delivered", "read", "read")]
    [InlineData("read", "sent", "read")]
    [InlineData("read", "delivered", "read")]
    [InlineData("delivered", "sent", "delivered")]
    [InlineData(null, "read", "read")]
    [InlineData("read", "failed", "failed")]
    [InlineData("failed", "read", "failed")]
    [InlineData("failed", "sent", "failed")]
    [InlineData("sent", "unknown-future-status", "sent")]
    public void Statuses_only_move_forward_and_failed_is_terminal(string? current, string incoming, string expected) =>
        Assert.Equal(expected, DeliveryStatus.Advance(current, incoming));

    [Property]
    public bool Any_order_of_the_same_statuses_ends_in_the_same_status(string[] seed)
    {
        string[] all = ["sent", "delivered", "read", "failed", "played", "deleted"];
        var chosen = (seed ?? []).Select(s => all[Math.Abs((s ?? "").GetHashCode()) % all.Length]).ToList();
        string? forward = null, backward = null;
        foreach (var s in chosen) forward = DeliveryStatus.Advance(forward, s);
        foreach (var s in Enumerable.Reverse(chosen)) backward = DeliveryStatus.Advance(backward, s);
        return forward == backward;
    }
}
