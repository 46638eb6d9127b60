using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Messaging.EndToEnd.Tests.OptIn;

/// <summary>
/// One Azurite, one LocalHost process and one headless Chromium for all opt-in page tests: starting a browser is the
/// slow part, and each test gets its own browser context, so no cookie or page state leaks between tests.
/// </summary>
public sealed class OptInPageFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private IPlaywright? _playwright;

    public LocalHostProcess Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The demo business's consent settings as LocalHost reads them in Development (the tests set no Consent:* values).</summary>
    public JsonElement DemoConsent { get; } = LoadDemoConsent();

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Host = await LocalHostProcess.StartAsync(LocalHostProcess.NewSettings(_azurite.ConnectionString));
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task<IBrowserContext> NewContextAsync(string locale = "de-DE")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 800, Height = 1000 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public string ConsentSetting(string name) => DemoConsent.GetProperty(name).GetString()!;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    private static JsonElement LoadDemoConsent()
    {
        var path = Path.Combine(AzuriteFixture.RepoRoot(), "src", "LocalHost", "appsettings.Development.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("Consent").Clone();
    }
}
