using Messaging.EndToEnd.Tests.Infrastructure;

namespace Messaging.EndToEnd.Tests.Sandbox;

/// <summary>
/// LocalHost without Meta credentials, as ./run starts it, except that the sandbox token is fixed so the tests can
/// play the app's outbound side with the real <c>CloudApiClient</c>, and statuses come a little faster.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public const string AccessToken = "e2e-sandbox-token";

    public AzuriteFixture Azurite { get; } = new();

    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var settings = LocalHostProcess.NewSettings(Azurite.ConnectionString);
        settings["Sandbox__AccessToken"] = AccessToken;
        settings["Sandbox__SentAfter"] = "00:00:00.200";
        settings["Sandbox__DeliveredAfter"] = "00:00:00.400";
        settings["Sandbox__ReadAfter"] = "00:00:00.600";
        settings["Sandbox__TemplateCategories__order_update"] = "utility";
        Host = await LocalHostProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
