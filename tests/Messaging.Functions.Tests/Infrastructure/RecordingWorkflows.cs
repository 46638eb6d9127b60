using System.Collections.Concurrent;
using Messaging.Shared.Consent.OptIn;

namespace Messaging.Functions.Tests.Infrastructure;

/// <summary>Stands in for the Durable client, which needs the Functions host: keeps the workflows a function started.</summary>
public sealed class RecordingWorkflows : IDoubleOptInWorkflows
{
    public ConcurrentQueue<DoubleOptInInput.Requested> Started { get; } = new();

    public Task StartAsync(DoubleOptInInput.Requested request, CancellationToken cancellationToken)
    {
        Started.Enqueue(request);
        return Task.CompletedTask;
    }

    public Task SignalAsync(string contactKey, string requestId, DoubleOptInSignal signal, CancellationToken cancellationToken) => Task.CompletedTask;
}
