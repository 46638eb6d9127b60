using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.Shared.Configuration;
using Messaging.Shared.Outbound;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace Messaging.EndToEnd.Tests.Sandbox;

/// <summary>The sandbox page in a real (headless) Chromium, driven by its labels and roles as a person would use it.</summary>
public sealed class SandboxPageTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private LocalHostProcess Host => fixture.Host;

    [Fact]
    public async Task A_person_chats_as_the_customer_sees_the_business_template_tick_to_read_and_taps_its_quick_reply()
    {
        var waId = "4917" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Host.BaseAddress.AbsoluteUri });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { consoleErrors.Add(message.Text); } };

        await page.GotoAsync("/sandbox");
        await page.GetByLabel("Customer WhatsApp number").FillAsync(waId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await page.GetByLabel("Message from the customer").FillAsync("Wo ist mein Paket?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send as customer" }).ClickAsync();
        var log = page.GetByRole(AriaRole.Log);
        await Assertions.Expect(log.GetByText("Wo ist mein Paket?")).ToBeVisibleAsync();

        var client = new CloudApiClient(new HttpClient(), new FixedOptionsMonitor<MetaOptions>(new MetaOptions
        {
            AccessToken = SandboxFixture.AccessToken,
            PhoneNumberId = "100000000000001",
            GraphApiBaseUrl = new Uri(Host.BaseAddress, "/sandbox/graph"),
        }), NullLogger<CloudApiClient>.Instance);
        var sent = await client.SendAsync(waId, OutboundMessage.FromTemplate("order_update", "de", TemplateComponent.Body("ORD-7"), TemplateComponent.QuickReplyButton(0, "track-order")), null, CancellationToken.None);
        Assert.Equal(CloudApiOutcome.Accepted, sent.Outcome);

        await Assertions.Expect(log.GetByText("Template order_update (de)")).ToBeVisibleAsync();
        // The app also answers the customer's first message with its privacy notice; look at the template only.
        var template = log.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Template order_update (de)" });
        await Assertions.Expect(template.GetByLabel("Status: read")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await log.GetByRole(AriaRole.Button, new() { Name = "Tap quick reply track-order" }).ClickAsync();
        await Assertions.Expect(log.GetByText("Tapped: track-order")).ToBeVisibleAsync();
        Assert.Empty(consoleErrors);
    }
}
