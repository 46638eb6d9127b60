using System.Text.RegularExpressions;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Consent.OptInPage;
using Messaging.Shared.Storage;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Messaging.EndToEnd.Tests.OptIn;

/// <summary>The sign-up page as a visitor meets it: real Chromium, real LocalHost, real Azurite.</summary>
public sealed partial class OptInPageBrowserTests(OptInPageFixture fixture, ITestOutputHelper output) : IClassFixture<OptInPageFixture>
{
    private const string BusinessPhoneNumber = "4930901820";

    [Fact]
    public async Task The_german_page_names_the_business_and_purpose_links_the_privacy_notice_and_leaves_the_box_unticked()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var cspViolations = CollectCspViolations(page);

        var response = await page.GotoAsync("/optin?lang=de");

        Assert.Equal(200, response!.Status);
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        var heading = await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync();
        Assert.Contains(fixture.ConsentSetting("BusinessName"), heading, StringComparison.Ordinal);
        Assert.Contains("Angebote und Neuigkeiten per WhatsApp", heading, StringComparison.Ordinal);
        var privacy = page.GetByRole(AriaRole.Link, new() { Name = "Datenschutzhinweise", Exact = true });
        Assert.Equal(fixture.ConsentSetting("PrivacyNoticeUrl"), await privacy.GetAttributeAsync("href"));
        var box = page.GetByLabel(fixture.ConsentSetting("MarketingConsentTextDe"), new() { Exact = true });
        Assert.Equal("checkbox", await box.GetAttributeAsync("type"));
        Assert.False(await box.IsCheckedAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Checkbox, new() { Name = fixture.ConsentSetting("MarketingConsentTextDe"), Exact = true }).CountAsync());
        Assert.Contains("STOP", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("default-src 'self'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Empty(cspViolations);

        // The inline stylesheet is allowed by its hash: if the policy blocked it, the button would be unstyled.
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Weiter", Exact = true });
        Assert.Equal("rgb(11, 92, 59)", await button.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
    }

    [Fact]
    public async Task Submitting_without_the_tick_shows_an_alert_no_link_and_stores_nothing()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/optin?lang=de");
        var before = await TokenRowsAsync();

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Weiter" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        var alert = page.GetByRole(AriaRole.Alert);
        Assert.Contains("Häkchen", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("a[href^='https://wa.me/']").CountAsync());
        Assert.False(await page.GetByLabel(fixture.ConsentSetting("MarketingConsentTextDe"), new() { Exact = true }).IsCheckedAsync());
        Assert.Equal(before, await TokenRowsAsync());
    }

    [Fact]
    public async Task Ticking_and_submitting_shows_a_whatsapp_link_with_a_one_time_code_prefilled()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var cspViolations = CollectCspViolations(page);
        var before = await TokenRowsAsync();

        var code = await SignUpAsync(page, "de", "Weiter", "WhatsApp öffnen", "Anmeldung: ");

        Assert.Equal(code, (await page.Locator("#code").InnerTextAsync()).Trim());
        Assert.Contains("bestätigen", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await TokenRowsAsync());
        Assert.Empty(cspViolations);
        // Cookie-free by design: nothing to consent to before signing up (ePrivacy), nothing instance-bound.
        Assert.Empty(await context.CookiesAsync());

        var screenshot = Path.Combine(Path.GetTempPath(), $"optin-result-{Guid.NewGuid():N}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Screenshot of the result page: {screenshot}");
    }

    [Fact]
    public async Task The_english_page_speaks_english_from_the_query_or_the_browser_language()
    {
        await using var context = await fixture.NewContextAsync(locale: "en-GB");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/optin");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("offers and news on WhatsApp", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await page.GetByLabel(fixture.ConsentSetting("MarketingConsentTextEn"), new() { Exact = true }).IsCheckedAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "privacy notice", Exact = true }).CountAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Deutsch", Exact = true }).ClickAsync();
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));

        var code = await SignUpAsync(page, "en", "Continue", "Open WhatsApp", "Sign-up: ");
        Assert.Matches(CodeShape(), code);
    }

    [Fact]
    public async Task Every_sign_up_gets_a_different_code()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        var first = await SignUpAsync(page, "de", "Weiter", "WhatsApp öffnen", "Anmeldung: ");
        var second = await SignUpAsync(page, "de", "Weiter", "WhatsApp öffnen", "Anmeldung: ");

        Assert.NotEqual(first, second);
    }

    /// <summary>Ticks the box, submits, and returns the code from the wa.me link after checking the link's shape.</summary>
    private async Task<string> SignUpAsync(IPage page, string language, string submit, string openWhatsApp, string prefix)
    {
        await page.GotoAsync($"/optin?lang={language}");
        await page.GetByLabel(fixture.ConsentSetting(language == "en" ? "MarketingConsentTextEn" : "MarketingConsentTextDe"), new() { Exact = true }).CheckAsync();
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = submit, Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(200, response.Status);
        Assert.Equal("no-store", response.Headers["cache-control"]);

        var href = await page.GetByRole(AriaRole.Link, new() { Name = openWhatsApp, Exact = true }).GetAttributeAsync("href");
        var link = new Uri(href!);
        Assert.Equal($"https://wa.me/{BusinessPhoneNumber}", link.GetLeftPart(UriPartial.Path));
        Assert.StartsWith("?text=", link.Query, StringComparison.Ordinal);
        var text = Uri.UnescapeDataString(link.Query["?text=".Length..]);
        Assert.StartsWith(prefix, text, StringComparison.Ordinal);
        var code = text[prefix.Length..];
        Assert.Matches(CodeShape(), code);
        Assert.True(OptInTokenStore.TryExtractCode(text, out var extracted));
        Assert.Equal(code, extracted);
        return code;
    }

    private async Task<int> TokenRowsAsync() => await Infrastructure.Webhooks.CountAsync(fixture.Host.Settings, StorageNames.OptInTokensTable);

    /// <summary>Chromium reports a blocked inline style or script on the console; the page must need neither.</summary>
    private static List<string> CollectCspViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    [GeneratedRegex("^OPTIN-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")]
    private static partial Regex CodeShape();
}
