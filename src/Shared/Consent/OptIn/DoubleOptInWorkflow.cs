using Messaging.Shared.Workflows;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>The double opt-in on the workflow kernel: one instance per request, under the contact's key.</summary>
public static class DoubleOptInWorkflow
{
    public const string Kind = "doi";

    /// <summary>The Durable orchestration's name in Azure; its effects run as "DoubleOptInEffect".</summary>
    public const string OrchestrationName = "DoubleOptIn";

    public static WorkflowDefinition<DoubleOptInInput, DoubleOptInState, DoubleOptInCommand> Definition { get; } =
        new(Kind, OrchestrationName, DoubleOptIn.Decider, DoubleOptInCommandCodec.Options, WorkflowRetry.Default);

    /// <summary>Instance "doi-{requestId}" in the contact's partition: deterministic, so a repeated start finds it.</summary>
    public static WorkflowInstance Instance(string contactKey, string requestId) =>
        new(Kind, contactKey, ConsentRequestId.Validate(requestId, nameof(requestId)));
}
