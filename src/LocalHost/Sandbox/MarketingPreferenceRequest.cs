namespace Messaging.LocalHost.Sandbox;

/// <summary>The customer's choice in WhatsApp's "Offers and announcements" setting: <c>stop</c> or <c>resume</c>.</summary>
public sealed record MarketingPreferenceRequest(string? Value);
