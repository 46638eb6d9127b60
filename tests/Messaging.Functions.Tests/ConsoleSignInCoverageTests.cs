using Messaging.Functions.Tests.Infrastructure;
using Messaging.Shared.Http;

namespace Messaging.Functions.Tests;

/// <summary>
/// In Azure, App Service Authentication signs users in for every path except <see cref="ConsoleRoutes.OutsideSignIn"/>
/// (infra tests hold Bicep to that list). So each HTTP function must be exactly one of: a console page (under
/// /console/, behind the sign-in, and needing no function key because the page holds no data), or outside the
/// sign-in, where its own guard (the function key, Meta's signature, or nothing for the public sign-up page) applies.
/// </summary>
public sealed class ConsoleSignInCoverageTests
{
    [Fact]
    public void Every_http_function_is_either_a_signed_in_console_page_or_outside_the_sign_in()
    {
        var routes = FunctionsMetadata.Read().Where(f => f.HttpTrigger is not null)
            .Select(f => (f.Name, Path: "/" + f.HttpTrigger!.Route!.TrimStart('/'), f.HttpTrigger.AuthLevel))
            .ToList();

        var consoles = routes.Where(r => r.Path.StartsWith(ConsoleRoutes.ConsolePrefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(consoles, r => r.Path == "/console/campaigns");
        Assert.Contains(consoles, r => r.Path == "/console/inbox");
        Assert.All(consoles, r => Assert.False(ConsoleRoutes.IsOutsideSignIn(r.Path), $"{r.Name} ({r.Path}) would be reachable without signing in"));
        Assert.All(routes.Except(consoles), r => Assert.True(ConsoleRoutes.IsOutsideSignIn(r.Path),
            $"{r.Name} ({r.Path}) is neither a console page nor outside the sign-in: Meta or API clients would be sent to the Entra login page"));
        Assert.All(routes.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal) && r.AuthLevel != "Anonymous"),
            r => Assert.Equal("Function", r.AuthLevel));
    }

    [Theory]
    [InlineData("/console/campaigns", false)]
    [InlineData("/console/anything-new", false)]
    [InlineData("/api/campaigns/abc/start", true)]
    [InlineData("/api/whatsapp/webhook", true)]
    [InlineData("/optin", true)]
    [InlineData("/optin-admin", false)]
    [InlineData("/apis", false)]
    public void Outside_sign_in_matches_exact_paths_and_prefixes_as_app_service_does(string path, bool outside) =>
        Assert.Equal(outside, ConsoleRoutes.IsOutsideSignIn(path));
}
