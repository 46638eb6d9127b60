using System.Collections.Concurrent;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Integration;

/// <summary>Counts effects per event, and can be told to fail, standing in for a feature downstream of the inbox.</summary>
public sealed class CountingObserver : IInboundObserver
{
    public ConcurrentDictionary<string, int> Messages { get; } = new();

    public ConcurrentDictionary<string, int> Statuses { get; } = new();

    public int FailuresLeft { get; set; }

    public TimeSpan Delay { get; set; }

    /// <summary>What a failure throws; by default a bug downstream.</summary>
    public Func<Exception> Failure { get; set; } = () => new InvalidOperationException("Downstream feature is failing.");

    public async Task OnMessageAsync(string contactKey, InboundMessage message, CancellationToken cancellationToken)
    {
        await Task.Delay(Delay, cancellationToken);
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw Failure();
        }

        Messages.AddOrUpdate(message.MessageId, 1, (_, n) => n + 1);
    }

    public Task OnStatusAsync(string contactKey, StatusUpdate status, CancellationToken cancellationToken)
    {
        Statuses.AddOrUpdate(status.EventId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
