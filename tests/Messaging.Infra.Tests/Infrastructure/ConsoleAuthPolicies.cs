using System.Text.Json.Nodes;
using Messaging.Shared.Http;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>
/// App Service Authentication (authsettingsV2) of the Function App: Entra ID in front of the consoles, everything in
/// <see cref="ConsoleRoutes.OutsideSignIn"/> left to the app's own guard, the client secret a Key Vault reference.
/// </summary>
public static class ConsoleAuthPolicies
{
    public const string SecretSetting = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET";

    public const string SecretName = "console-auth-client-secret";

    public static ArmResource? AuthSettings(JsonObject root) =>
        Arm.OfType(root, "Microsoft.Web/sites/config").SingleOrDefault(c => c.Name.Contains("authsettingsV2", StringComparison.Ordinal));

    /// <summary>The excluded paths with variables resolved; null when they are not a literal list.</summary>
    public static IReadOnlyList<string>? ExcludedPaths(ArmResource auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var candidates = auth.Candidates("properties.globalValidation.excludedPaths");
        return candidates is [JsonArray paths] && paths.All(p => p is JsonValue v && v.TryGetValue<string>(out _))
            ? [.. paths.Select(p => p!.GetValue<string>())]
            : null;
    }

    public static List<string> Check(JsonObject root)
    {
        var violations = new List<string>();
        if (AuthSettings(root) is not { } auth)
        {
            return ["no authsettingsV2 on the Function App: the consoles would be open to anyone who finds the URL"];
        }

        void Require(string path, Func<JsonNode?, bool> ok, string what)
        {
            if (!Arm.All(auth.Candidates(path), ok))
            {
                violations.Add($"{auth}: {path} must be {what}");
            }
        }

        Require("properties.platform.enabled", n => Arm.IsBool(n, true), "true");
        Require("properties.globalValidation.requireAuthentication", n => Arm.IsBool(n, true), "true (sign-in unless a path is excluded)");
        Require("properties.globalValidation.unauthenticatedClientAction", n => Arm.IsString(n, "RedirectToLoginPage"), "RedirectToLoginPage");
        Require("properties.identityProviders.azureActiveDirectory.enabled", n => Arm.IsBool(n, true), "true (Entra ID)");
        Require("properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName", n => Arm.IsString(n, SecretSetting), SecretSetting);
        Require("properties.login.tokenStore.enabled", n => Arm.IsBool(n, false), "false (no user tokens kept server-side)");
        Require("properties.httpSettings.requireHttps", n => Arm.IsBool(n, true), "true");

        var issuer = Arm.AsString(auth.Json["properties"]?["identityProviders"]?["azureActiveDirectory"]?["registration"]?["openIdIssuer"]) ?? "";
        if (!issuer.Contains("parameters('consoleAuthTenantId')", StringComparison.Ordinal) || !issuer.Contains("environment().authentication.loginEndpoint", StringComparison.Ordinal))
        {
            violations.Add($"{auth}: the OpenID issuer must be the cloud's login endpoint with the consoleAuthTenantId parameter, was '{issuer}'");
        }

        var clientId = Arm.AsString(auth.Json["properties"]?["identityProviders"]?["azureActiveDirectory"]?["registration"]?["clientId"]);
        if (clientId != "[parameters('consoleAuthClientId')]" || auth.Scope.PassedParameters?["consoleAuthClientId"]?["value"]?.ToString() != "[parameters('consoleAuthClientId')]")
        {
            violations.Add($"{auth}: the client id must come from main.bicep's consoleAuthClientId parameter, was '{clientId}'");
        }

        if (ExcludedPaths(auth) is not { } excluded)
        {
            violations.Add($"{auth}: excludedPaths must be a literal list of paths");
        }
        else if (!excluded.Order(StringComparer.Ordinal).SequenceEqual(ConsoleRoutes.OutsideSignIn.Order(StringComparer.Ordinal)))
        {
            violations.Add($"{auth}: excludedPaths [{string.Join(", ", excluded)}] differ from ConsoleRoutes.OutsideSignIn [{string.Join(", ", ConsoleRoutes.OutsideSignIn)}]");
        }
        else if (excluded.Any(p => p.StartsWith(ConsoleRoutes.ConsolePrefix, StringComparison.Ordinal) || p is "/*" or "/"))
        {
            violations.Add($"{auth}: an excluded path opens the consoles");
        }

        var secretReference = Arm.OfType(root, "Microsoft.Web/sites/config")
            .Where(c => c.Name.Contains("appsettings", StringComparison.Ordinal))
            .Select(c => Arm.AsString(c.Properties?[SecretSetting]) ?? "")
            .FirstOrDefault() ?? "";
        if (!secretReference.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal) || !secretReference.Contains($"secrets/{SecretName}/", StringComparison.Ordinal))
        {
            violations.Add($"app setting {SecretSetting} must be a Key Vault reference to secret '{SecretName}', was '{secretReference}'");
        }

        return violations;
    }
}
