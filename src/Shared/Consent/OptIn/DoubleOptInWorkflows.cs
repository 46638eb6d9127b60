using Messaging.Shared.Workflows;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>The consent side's view of the kernel: a request starts an instance, a reply or STOP signals it.</summary>
public sealed class DoubleOptInWorkflows(IWorkflowHost host) : IDoubleOptInWorkflows
{
    public Task StartAsync(DoubleOptInInput.Requested request, CancellationToken cancellationToken) =>
        host.StartAsync<DoubleOptInInput>(DoubleOptInWorkflow.Instance(request.ContactKey, request.RequestId), request, cancellationToken);

    public Task SignalAsync(string contactKey, string requestId, DoubleOptInSignal signal, CancellationToken cancellationToken) =>
        host.SignalAsync(DoubleOptInWorkflow.Instance(contactKey, requestId), signal.InputId, signal.ToInput(), cancellationToken);
}
