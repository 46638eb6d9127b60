namespace Messaging.Shared.Outbound;

/// <summary><c>{"error":{…}}</c>, the body of a refused Graph API call.</summary>
internal sealed class CloudApiErrorEnvelope
{
    public CloudApiError? Error { get; set; }
}
