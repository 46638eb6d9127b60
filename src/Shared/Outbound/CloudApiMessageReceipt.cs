namespace Messaging.Shared.Outbound;

/// <summary>One entry of <c>messages[]</c> in a send response.</summary>
internal sealed class CloudApiMessageReceipt
{
    public string? Id { get; set; }

    /// <summary><c>accepted</c>, <c>held_for_quality_assessment</c> or <c>paused</c> (template pacing).</summary>
    public string? MessageStatus { get; set; }
}
