namespace Messaging.Shared.Events;

/// <summary>Settings for events out (section <c>Events</c>).</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    public List<EventSubscription> Subscriptions { get; set; } = [];

    /// <summary>How long a receiver may keep failing one event before it is parked and the next one goes.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest pause between two attempts (the back-off doubles from one second up to this).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long inbound processing waits for a receiver when it delivers a new event itself; slower goes queued.</summary>
    public TimeSpan InlineRequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a failed in-line delivery, the subscription's events take the queued path for this long.</summary>
    public TimeSpan InlinePauseAfterFailure { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A contact marked pending whose nudge is older than this is nudged again by its next append: covers a queue message
    /// lost or parked after its retries. Longer than the longest back-off, so a failing receiver does not gather nudges.
    /// </summary>
    public TimeSpan NudgeAgainAfter { get; set; } = TimeSpan.FromHours(1);

    public bool AnyWants(string type) => Subscriptions.Any(s => s.Wants(type));

    /// <summary>Problems with the settings, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < Subscriptions.Count; i++)
        {
            var s = Subscriptions[i];
            if (s.Url is null || !s.Url.IsAbsoluteUri || (s.Url.Scheme != Uri.UriSchemeHttps && s.Url.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add($"Events:Subscriptions:{i}:Url must be an absolute http(s) URL.");
            }

            try
            {
                if (s.SigningKey().Length < 16)
                {
                    problems.Add($"Events:Subscriptions:{i}:Secret must hold at least 16 bytes (whsec_ + base64).");
                }
            }
            catch (FormatException)
            {
                problems.Add($"Events:Subscriptions:{i}:Secret must be whsec_ followed by base64.");
            }

            foreach (var type in s.Types.Where(t => !EventTypes.All.Contains(t, StringComparer.Ordinal)))
            {
                problems.Add($"Events:Subscriptions:{i}:Types has an unknown type '{type}' (known: {string.Join(", ", EventTypes.All)}).");
            }
        }

        return problems;
    }
}
