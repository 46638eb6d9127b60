namespace Messaging.LocalHost.Sandbox;

/// <summary>What the sandbox is doing; never the access token.</summary>
public sealed record SandboxStatusView(
    bool Active,
    string GraphApiBaseUrl,
    string GraphApiVersion,
    string PhoneNumberId,
    string DisplayPhoneNumber,
    string WebhookUrl,
    int[] StatusDelaysMilliseconds,
    int? NextFailureCode);
