using System.Text.Json;
using Messaging.Shared.Workflows;

namespace Messaging.Shared.Privacy.Erasure;

/// <summary>
/// Erasure on the workflow kernel. Instances live in their own partition, not the contact's: stopping the contact's
/// workflows must not stop the erasure itself, and its row (contact key, counts) is part of the receipt.
/// </summary>
public static class ErasureWorkflow
{
    public const string Kind = "erasure";

    public const string OrchestrationName = "Erasure";

    public const string Partition = "erasures";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static WorkflowDefinition<ErasureInput, ErasureState, ErasureEffect> Definition { get; } =
        new(Kind, OrchestrationName, Erasure.Decider, Json, WorkflowRetry.Default);

    public static WorkflowInstance Instance(string requestId) => new(Kind, Partition, requestId);
}
