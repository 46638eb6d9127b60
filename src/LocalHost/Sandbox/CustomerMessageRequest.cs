namespace Messaging.LocalHost.Sandbox;

/// <summary>What a simulated customer sends: a text, or a tap on a quick-reply button (payload and label).</summary>
/// <param name="ContextMessageId">The tapped template's wamid; found from the payload when left out.</param>
public sealed record CustomerMessageRequest(string? Text, string? ButtonPayload, string? ButtonText, string? Name, string? ContextMessageId)
{
    public override string ToString() => "CustomerMessageRequest";
}
