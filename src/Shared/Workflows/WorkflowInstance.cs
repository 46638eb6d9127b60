namespace Messaging.Shared.Workflows;

/// <summary>
/// One run of a workflow. <paramref name="PartitionKey"/> is what the instance belongs to (a contact key, a campaign
/// id), so erasure can find every instance of a contact; <paramref name="InstanceId"/> is unique within its kind.
/// Neither may carry personal data: Durable keeps instance ids in its history and table keys are visible to operators.
/// </summary>
public sealed record WorkflowInstance(string Kind, string PartitionKey, string InstanceId)
{
    public string Kind { get; init; } = RequireKeySafe(Kind, nameof(Kind));

    public string PartitionKey { get; init; } = RequireKeySafe(PartitionKey, nameof(PartitionKey));

    public string InstanceId { get; init; } = RequireKeySafe(InstanceId, nameof(InstanceId));

    /// <summary>The Durable instance id and LocalHost's row key: "{kind}-{instanceId}", deterministic so a repeated start finds it.</summary>
    public string Id => $"{Kind}-{InstanceId}";

    private static string RequireKeySafe(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 200 || value.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException("Must be 1-200 characters without '/', '\\', '#', '?' or control characters.", name);
        }

        return value;
    }
}
