using System.Text;
using Messaging.Shared.Security;

namespace Messaging.Shared.Webhooks;

/// <summary>
/// The Service Bus session id for a webhook: a keyed hash of the first user identifier in the body, so one
/// contact's events are processed in order without the ack parsing JSON or exposing a phone number.
/// Correctness never depends on it (the inbox de-duplicates); it only buys ordering and spread.
/// </summary>
public static class WebhookRoutingKey
{
    private static readonly byte[][] Markers =
    [
        Encoding.UTF8.GetBytes("\"user_id\":\""),
        Encoding.UTF8.GetBytes("\"wa_id\":\""),
        Encoding.UTF8.GetBytes("\"recipient_id\":\""),
        Encoding.UTF8.GetBytes("\"from\":\""),
    ];

    public const string Unrouted = "unrouted";

    public static string For(ReadOnlySpan<byte> body, KeyedHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        foreach (var marker in Markers)
        {
            var start = body.IndexOf(marker);
            if (start < 0)
            {
                continue;
            }

            var rest = body[(start + marker.Length)..];
            var end = rest.IndexOf((byte)'"');
            if (end is > 0 and <= 64)
            {
                return hasher.Hash("route", Encoding.UTF8.GetString(rest[..end]));
            }
        }

        return Unrouted;
    }
}
