using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging.Shared.Workflows;

/// <summary>
/// One instruction for a workflow host, as it travels on the workflow queue: start, signal, terminate, purge, and
/// (LocalHost only) a timer that is due at <see cref="DueAt"/>. Inputs are the definition's JSON and carry contact
/// keys and opaque references only.
/// </summary>
public sealed record WorkflowRequest(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("partitionKey")] string PartitionKey,
    [property: JsonPropertyName("instanceId")] string InstanceId,
    [property: JsonPropertyName("inputId")] string? InputId = null,
    [property: JsonPropertyName("input")] string? Input = null,
    [property: JsonPropertyName("dueAt")] DateTimeOffset? DueAt = null,
    [property: JsonPropertyName("reason")] string? Reason = null)
{
    public const string Start = "start";
    public const string Signal = "signal";
    public const string Timer = "timer";
    public const string Terminate = "terminate";
    public const string Purge = "purge";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    [JsonIgnore]
    public WorkflowInstance Instance => new(Kind, PartitionKey, InstanceId);

    public static WorkflowRequest For(string op, WorkflowInstance instance, string? inputId = null, string? input = null, DateTimeOffset? dueAt = null, string? reason = null) =>
        new(op, instance.Kind, instance.PartitionKey, instance.InstanceId, inputId, input, dueAt, reason);

    public BinaryData ToBinary() => BinaryData.FromObjectAsJson(this, Options);

    public static WorkflowRequest FromBinary(BinaryData data) =>
        data.ToObjectFromJson<WorkflowRequest>(Options) ?? throw new JsonException("Empty workflow request.");

    public static WorkflowRequest FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowRequest>(json, Options) ?? throw new JsonException("Empty workflow request.");
}
