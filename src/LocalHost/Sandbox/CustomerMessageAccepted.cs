namespace Messaging.LocalHost.Sandbox;

/// <summary>The wamid the simulated customer's message was sent with.</summary>
public sealed record CustomerMessageAccepted(string MessageId);
