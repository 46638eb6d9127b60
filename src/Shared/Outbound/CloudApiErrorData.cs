namespace Messaging.Shared.Outbound;

/// <summary>The <c>error_data</c> object; <see cref="Details"/> is the human-readable reason.</summary>
public sealed class CloudApiErrorData
{
    public string? Details { get; set; }
}
