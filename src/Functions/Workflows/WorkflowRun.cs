using System.Text.Json;

namespace Messaging.Functions.Workflows;

/// <summary>
/// The input of one run of a decider orchestration: the start request (JSON), and when the instance continues as
/// new, the state reached so far and the ids of the inputs already applied (so a redelivered signal stays a no-op).
/// </summary>
public sealed record WorkflowRun(string Start, string? State, IReadOnlyList<string> Applied)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static WorkflowRun FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowRun>(json, Options) ?? throw new JsonException("Empty workflow run.");
}
