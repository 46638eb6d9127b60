using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging.Shared.Outbound;

/// <summary>JSON settings matching the Graph API: snake_case names, absent optionals left out rather than sent as null.</summary>
internal static class CloudApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
