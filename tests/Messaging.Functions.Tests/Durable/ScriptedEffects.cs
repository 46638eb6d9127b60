using System.Collections.Concurrent;
using Messaging.Shared.Consent.OptIn;
using Messaging.Shared.Workflows;

namespace Messaging.Functions.Tests.Durable;

/// <summary>
/// The double opt-in's effects as a script: what the send answers (sent, refused, throws), whether appends fail,
/// and a gate that holds the send back. Records every effect it ran, so a test sees what the orchestration did.
/// The executor behind it is tested against Azurite elsewhere; here the subject is the Durable plumbing.
/// </summary>
public sealed class ScriptedEffects : IWorkflowEffects<DoubleOptInCommand, DoubleOptInInput>
{
    public ConcurrentQueue<DoubleOptInCommand> Ran { get; } = new();

    public Func<DoubleOptInCommand.SendConfirmationTemplate, DoubleOptInInput?> Send { get; set; } =
        send => new DoubleOptInInput.ConfirmationSent("ref-" + send.RequestId, DateTimeOffset.UtcNow);

    public bool AppendsFail { get; set; }

    /// <summary>Open unless a test holds sends back with <see cref="HoldSends"/>.</summary>
    public TaskCompletionSource SendGate { get; private set; } = Opened();

    public void HoldSends() => SendGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int SendAttempts => Ran.Count(c => c is DoubleOptInCommand.SendConfirmationTemplate);

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    public async Task<DoubleOptInInput?> ExecuteAsync(DoubleOptInCommand effect, CancellationToken cancellationToken)
    {
        Ran.Enqueue(effect);
        switch (effect)
        {
            case DoubleOptInCommand.AppendConsentEvent when AppendsFail:
                throw new InvalidOperationException("ledger unavailable");
            case DoubleOptInCommand.AppendConsentEvent:
                return null;
            case DoubleOptInCommand.SendConfirmationTemplate send:
                await SendGate.Task.WaitAsync(cancellationToken);
                return Send(send);
            default:
                throw new ArgumentOutOfRangeException(nameof(effect));
        }
    }
}
