namespace Messaging.Shared.Outbound;

/// <summary>The 200 body of a send: <c>messages[0].id</c> is the wamid; template sends may add <c>message_status</c>.</summary>
internal sealed class CloudApiSendResponse
{
    public List<CloudApiMessageReceipt>? Messages { get; set; }
}
