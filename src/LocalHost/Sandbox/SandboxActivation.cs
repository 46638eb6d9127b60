using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Security;

namespace Messaging.LocalHost.Sandbox;

/// <summary>
/// Present in the container only while the sandbox is active (no Meta credentials): where the app lives, which fake
/// business it plays, and the bearer token its fake Graph endpoint accepts.
/// </summary>
public sealed class SandboxActivation(Uri baseAddress, string accessToken, SandboxBusiness business)
{
    public Uri BaseAddress { get; } = baseAddress;

    public SandboxBusiness Business { get; } = business;

    /// <summary>One of Meta:AccessToken and Meta:PhoneNumberId is set without the other: worth a warning, since the sandbox then overrides it.</summary>
    public bool IncompleteCredentials { get; init; }

    public Uri GraphBaseUrl => new(BaseAddress.AbsoluteUri.TrimEnd('/') + "/sandbox/graph");

    public Uri WebhookUrl => new(BaseAddress.AbsoluteUri.TrimEnd('/') + "/api/whatsapp/webhook");

    internal string AccessToken { get; } = accessToken;

    /// <summary>Checks <c>Authorization: Bearer …</c> in constant time, as a token check should be even on a dev tool.</summary>
    public bool Authorizes(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return SecretComparison.Matches(authorizationHeader[scheme.Length..].Trim(), AccessToken);
    }

    public override string ToString() => $"SandboxActivation {{ BaseAddress = {BaseAddress} }}";
}
