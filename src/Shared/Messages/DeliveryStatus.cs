namespace Messaging.Shared.Messages;

/// <summary>
/// Delivery statuses only move forward: sent &lt; delivered &lt; read (&lt; played for voice); failed is terminal.
/// Meta delivers out of order and more than once, so a late "sent" must never downgrade a "read".
/// </summary>
public static class DeliveryStatus
{
    public const string Failed = "failed";

    public static int Rank(string? status) => status switch
    {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "played" => 4,
        Failed => int.MaxValue,
        _ => 0,
    };

    /// <summary>The status a message has after <paramref name="incoming"/> arrives while it is at <paramref name="current"/>.</summary>
    public static string? Advance(string? current, string incoming)
    {
        if (current == Failed)
        {
            return current;
        }

        return Rank(incoming) > Rank(current) ? incoming : current;
    }
}
