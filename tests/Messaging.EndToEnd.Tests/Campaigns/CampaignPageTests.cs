using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.EndToEnd.Tests.Sandbox;
using Messaging.Testing;
using Microsoft.Playwright;

namespace Messaging.EndToEnd.Tests.Campaigns;

/// <summary>
/// The campaign page in headless Chromium against LocalHost and its sandbox: three customers confirm marketing in
/// WhatsApp, a marketer creates a campaign for them and one stranger, sees who is excluded, starts it, and watches the
/// bar reach 100 % and the sandbox's customers receive the template once each.
/// </summary>
public sealed class CampaignPageTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private LocalHostProcess Host => fixture.Host;

    [Fact]
    public async Task A_marketer_creates_a_campaign_sees_the_exclusions_starts_it_and_watches_it_complete()
    {
        var consented = Enumerable.Range(0, 3).Select(_ => "4917" + Random.Shared.NextInt64(100_000_000, 999_999_999)).ToList();
        var stranger = "4917" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        await Task.WhenAll(consented.Select(ConfirmMarketingAsync));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Host.BaseAddress.AbsoluteUri });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { consoleErrors.Add(message.Text + " " + message.Location); } };

        var response = await page.GotoAsync("/console/campaigns");
        Assert.Contains("script-src 'sha256-", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        await page.GetByLabel("API key").FillAsync(Host.Settings["Api__Key"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();

        var name = "Winter " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Campaign name").FillAsync(name);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Template" }).SelectOptionAsync("new_collection|de");
        await page.GetByLabel("Phone numbers", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Phone numbers (one a line, international format)").FillAsync(string.Join("\n", consented.Append(stranger).Select(p => "+" + p)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("3 of 4 will receive it", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 unknown contact");
        var row = page.GetByRole(AriaRole.Row, new() { Name = name });
        await Assertions.Expect(row.GetByText("draft", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await row.GetByRole(AriaRole.Button, new() { Name = "Start " + name }).ClickAsync();

        await Assertions.Expect(row.GetByText("completed", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuetext", "100 %");
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("3");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Start " + name })).Not.ToBeVisibleAsync();
        foreach (var waId in consented)
        {
            await Eventually.TrueAsync(async () => await TemplatesReceivedAsync(waId, "new_collection") == 1, TimeSpan.FromSeconds(30), "each consented customer gets the template once");
        }

        Assert.Equal(0, await TemplatesReceivedAsync(stranger, "new_collection"));
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task A_campaign_paused_mid_way_shows_why_holds_the_rest_back_and_resumes_from_the_page_to_the_end()
    {
        var consented = Enumerable.Range(0, 3).Select(_ => "4917" + Random.Shared.NextInt64(100_000_000, 999_999_999)).ToList();
        await Task.WhenAll(consented.Select(ConfirmMarketingAsync));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Host.BaseAddress.AbsoluteUri });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { consoleErrors.Add(message.Text + " " + message.Location); } };
        await page.GotoAsync("/console/campaigns");
        await page.GetByLabel("API key").FillAsync(Host.Settings["Api__Key"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        var name = "Spring " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Campaign name").FillAsync(name);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Template" }).SelectOptionAsync("new_collection|de");
        await page.GetByLabel("Phone numbers", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Phone numbers (one a line, international format)").FillAsync(string.Join("\n", consented.Select(p => "+" + p)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row, new() { Name = name });
        await Assertions.Expect(row.GetByText("draft", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // Meta pauses the template (132015) at the first send: the campaign pauses itself mid-way, with the reason, and
        // holds that person back; the other two are already sent.
        using (var arm = await Host.Client.PostAsJsonAsync("/sandbox/api/next-send-failure", new { code = 132015, asStatus = false }))
        {
            Assert.True(arm.IsSuccessStatusCode);
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Start " + name }).ClickAsync();

        await Assertions.Expect(row.GetByText("paused", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(row.GetByText("132015")).ToBeVisibleAsync();
        var received = -1;
        var held = await Record.ExceptionAsync(() => Eventually.TrueAsync(async () => (received = await ReceivedCountAsync(consented)) == 2, TimeSpan.FromSeconds(30)));
        Assert.True(held is null, $"two customers should have the template while the third is held back; got {received}");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(2, await ReceivedCountAsync(consented));
        await Assertions.Expect(row.GetByText("paused", new() { Exact = true })).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Resume " + name }).ClickAsync();

        await Assertions.Expect(row.GetByText("completed", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(row.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuetext", "100 %");
        foreach (var waId in consented)
        {
            await Eventually.TrueAsync(async () => await TemplatesReceivedAsync(waId, "new_collection") == 1, TimeSpan.FromSeconds(30), "each customer gets the template once, paused or not");
        }

        Assert.Empty(consoleErrors);
    }

    private async Task<int> ReceivedCountAsync(IEnumerable<string> waIds)
    {
        var received = 0;
        foreach (var waId in waIds)
        {
            received += await TemplatesReceivedAsync(waId, "new_collection") > 0 ? 1 : 0;
        }

        return received;
    }

    /// <summary>A CRM opt-in that the customer confirms in the sandbox with the quick reply: confirmed marketing consent.</summary>
    private async Task ConfirmMarketingAsync(string waId)
    {
        using var start = await SendAsync(HttpMethod.Post, "/api/optin-requests",
            new { phone = "+" + waId, purpose = "marketing", source = "crm-api", consentText = "Ja, ich möchte Angebote per WhatsApp.", consentTextVersion = "crm-v7" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var accepted = await start.Content.ReadFromJsonAsync<JsonElement>();
        var contactKey = accepted.GetProperty("contactKey").GetString()!;
        var requestId = accepted.GetProperty("requestId").GetString()!;
        await Eventually.TrueAsync(async () => await ConsentStatusAsync(contactKey) == "pending", TimeSpan.FromSeconds(60), "the opt-in should be pending");
        await Eventually.TrueAsync(async () =>
        {
            using var tap = await Host.Client.PostAsJsonAsync($"/sandbox/api/customers/{waId}/messages", new { buttonPayload = $"doi:{requestId}:confirm", buttonText = "Ja" });
            return tap.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30), "the sandbox customer should tap confirm");
        await Eventually.TrueAsync(async () => await ConsentStatusAsync(contactKey) == "confirmed", TimeSpan.FromSeconds(60), "the tap should confirm marketing consent");
    }

    private async Task<string?> ConsentStatusAsync(string contactKey)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/contacts/{contactKey}/consent");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var purposes = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("purposes");
        return purposes.GetArrayLength() == 0 ? null : purposes[0].GetProperty("status").GetString();
    }

    private async Task<int> TemplatesReceivedAsync(string waId, string template)
    {
        using var response = await Host.Client.GetAsync($"/sandbox/api/conversations/{waId}");
        var text = await response.Content.ReadAsStringAsync();
        var conversation = JsonDocument.Parse(text).RootElement;
        return conversation.GetProperty("messages").EnumerateArray()
            .Count(m => m.TryGetProperty("templateName", out var name) && name.GetString() == template
                && !(m.TryGetProperty("status", out var status) && status.GetString() == "failed"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", Host.Settings["Api__Key"]);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Host.Client.SendAsync(request);
    }
}
