namespace Messaging.Shared.Consent.OptIn;

/// <summary>Starts and signals double opt-ins in the consent vocabulary; <see cref="DoubleOptInWorkflows"/> maps it onto the kernel.</summary>
public interface IDoubleOptInWorkflows
{
    /// <summary>Starts a workflow; starting the same request id again changes nothing.</summary>
    Task StartAsync(DoubleOptInInput.Requested request, CancellationToken cancellationToken);

    Task SignalAsync(string contactKey, string requestId, DoubleOptInSignal signal, CancellationToken cancellationToken);
}
