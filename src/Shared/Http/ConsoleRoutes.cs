namespace Messaging.Shared.Http;

/// <summary>
/// Which paths of the Functions app sit behind App Service Authentication (Entra ID) in Azure. The consoles under
/// <see cref="ConsolePrefix"/> require a sign-in; the paths in <see cref="OutsideSignIn"/> are left to the app's own
/// guard (the function key on /api/*, Meta's signature on the webhook, nothing on the public sign-up page).
/// infra/bicep/modules/functionapp.bicep lists the same paths as authsettingsV2 excludedPaths; tests compare the
/// compiled template with this list and every function route with both.
/// </summary>
public static class ConsoleRoutes
{
    public const string ConsolePrefix = "/console/";

    /// <summary>App Service Authentication's excludedPaths: exact paths, or a prefix ending in "/*".</summary>
    public static IReadOnlyList<string> OutsideSignIn { get; } = ["/api/*", "/optin"];

    /// <summary>Whether App Service Authentication lets <paramref name="path"/> through without a sign-in.</summary>
    public static bool IsOutsideSignIn(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return OutsideSignIn.Any(excluded => excluded.EndsWith("/*", StringComparison.Ordinal)
            ? path.StartsWith(excluded[..^1], StringComparison.Ordinal)
            : string.Equals(path, excluded, StringComparison.Ordinal));
    }
}
