using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging.Shared.Consent.OptIn;

/// <summary>An input for one workflow instance on LocalHost's workflow queue; timers carry the time they are due.</summary>
public sealed record DoubleOptInWorkflowMessage(
    [property: JsonPropertyName("contactKey")] string ContactKey,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("inputId")] string InputId,
    [property: JsonPropertyName("input")] DoubleOptInInput? Input,
    [property: JsonPropertyName("dueAt")] DateTimeOffset? DueAt)
{
    public BinaryData ToBinary() => BinaryData.FromObjectAsJson(this, DoubleOptInCommandCodec.Options);

    public static DoubleOptInWorkflowMessage FromBinary(BinaryData data) =>
        data.ToObjectFromJson<DoubleOptInWorkflowMessage>(DoubleOptInCommandCodec.Options) ?? throw new JsonException("Empty workflow message.");
}
