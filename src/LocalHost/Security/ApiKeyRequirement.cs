namespace Messaging.LocalHost.Security;

/// <summary>
/// Endpoint metadata: this route needs <c>x-functions-key</c>, as <c>AuthorizationLevel.Function</c> does in Azure.
/// Added only together with <see cref="ApiKeyFilter"/> (see <see cref="ApiKeyEndpointExtensions.RequireApiKey"/>),
/// so the parity tests can compare it with the Functions app's auth levels.
/// </summary>
public sealed class ApiKeyRequirement
{
    public static ApiKeyRequirement Instance { get; } = new();

    private ApiKeyRequirement()
    {
    }
}
