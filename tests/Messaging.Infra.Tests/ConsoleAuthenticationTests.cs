using System.Text.Json.Nodes;
using Messaging.Infra.Tests.Infrastructure;
using Messaging.Shared.Http;

namespace Messaging.Infra.Tests;

/// <summary>
/// The consoles (/console/campaigns, /console/inbox) sit behind App Service Authentication with Microsoft Entra ID in
/// Azure, while /api/* keeps the function key (and the webhook Meta's signature) and the sign-up page stays public.
/// </summary>
public class ConsoleAuthenticationTests
{
    private static readonly JsonObject Template = CompiledTemplate.Load();

    [Fact]
    public void The_function_app_signs_console_users_in_with_entra_id_and_keeps_the_secret_in_key_vault() =>
        Assert.Empty(ConsoleAuthPolicies.Check(Template));

    [Theory]
    [InlineData("/console/campaigns", false)]
    [InlineData("/console/inbox", false)]
    [InlineData("/", false)]
    [InlineData("/api/whatsapp/webhook", true)]
    [InlineData("/api/campaigns", true)]
    [InlineData("/api/health", true)]
    [InlineData("/optin", true)]
    public void The_compiled_excluded_paths_protect_the_consoles_and_nothing_the_app_guards_itself(string path, bool outsideSignIn)
    {
        var excluded = ConsoleAuthPolicies.ExcludedPaths(ConsoleAuthPolicies.AuthSettings(Template)!)!;

        Assert.Equal(outsideSignIn, excluded.Any(e => e.EndsWith("/*", StringComparison.Ordinal) ? path.StartsWith(e[..^1], StringComparison.Ordinal) : path == e));
        Assert.Equal(outsideSignIn, ConsoleRoutes.IsOutsideSignIn(path));
    }

    [Fact]
    public void Main_asks_for_the_console_app_registration_and_defaults_the_tenant_to_the_deploying_one()
    {
        var main = ArmScope.Root(Template);

        Assert.Equal("string", main.Parameters["consoleAuthClientId"]!["type"]!.GetValue<string>());
        Assert.False(main.Parameters["consoleAuthClientId"]!.AsObject().ContainsKey("defaultValue"));
        Assert.Equal("[tenant().tenantId]", main.Parameters["consoleAuthTenantId"]!["defaultValue"]!.GetValue<string>());
        Assert.Contains("/.auth/login/aad/callback", main.Outputs["consoleAuthRedirectUri"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public static TheoryData<string> Breaks() => new(BreakCases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Breaks))]
    public void The_policy_reports_a_broken_setting(string caseName)
    {
        var broken = CompiledTemplate.Load();

        BreakCases[caseName](broken);

        Assert.NotEmpty(ConsoleAuthPolicies.Check(broken));
    }

    private static readonly Dictionary<string, Action<JsonObject>> BreakCases = new()
    {
        ["anonymous access allowed"] = t => Auth(t)["globalValidation"]!["unauthenticatedClientAction"] = "AllowAnonymous",
        ["sign-in not required"] = t => Auth(t)["globalValidation"]!["requireAuthentication"] = false,
        ["the consoles excluded"] = t => Variables(t)["pathsOutsideSignIn"]!.AsArray().Add("/console/*"),
        ["everything excluded"] = t => Variables(t)["pathsOutsideSignIn"] = new JsonArray("/*"),
        ["the api no longer excluded"] = t => Variables(t)["pathsOutsideSignIn"] = new JsonArray("/optin"),
        ["entra id switched off"] = t => Auth(t)["identityProviders"]!["azureActiveDirectory"]!["enabled"] = false,
        ["a token store kept"] = t => Auth(t)["login"]!["tokenStore"]!["enabled"] = true,
        ["a hard-coded tenant"] = t => Auth(t)["identityProviders"]!["azureActiveDirectory"]!["registration"]!["openIdIssuer"] = "https://login.microsoftonline.com/common/v2.0",
        ["the secret as a plain value"] = t => AppSettings(t)[ConsoleAuthPolicies.SecretSetting] = "plain-secret",
        ["authsettings removed"] = t => Remove(ConsoleAuthPolicies.AuthSettings(t)!),
    };

    private static JsonObject Auth(JsonObject template) => ConsoleAuthPolicies.AuthSettings(template)!.Properties!;

    private static JsonObject Variables(JsonObject template) => ConsoleAuthPolicies.AuthSettings(template)!.Scope.Variables;

    private static JsonObject AppSettings(JsonObject template) =>
        Arm.OfType(template, "Microsoft.Web/sites/config").Single(c => c.Name.Contains("appsettings", StringComparison.Ordinal)).Properties!;

    private static void Remove(ArmResource resource)
    {
        switch (resource.Scope.Template["resources"])
        {
            case JsonArray array:
                array.Remove(resource.Json);
                break;
            case JsonObject symbolic:
                symbolic.Remove(symbolic.Single(p => ReferenceEquals(p.Value, resource.Json)).Key);
                break;
        }
    }
}
