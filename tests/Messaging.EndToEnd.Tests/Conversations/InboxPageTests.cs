using Messaging.EndToEnd.Tests.Infrastructure;
using Messaging.EndToEnd.Tests.Sandbox;
using Microsoft.Playwright;

namespace Messaging.EndToEnd.Tests.Conversations;

/// <summary>The shared inbox and the sandbox side by side in headless Chromium: a customer writes, an agent answers.</summary>
public sealed class InboxPageTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private LocalHostProcess Host => fixture.Host;

    [Fact]
    public async Task A_customer_message_appears_in_the_inbox_and_the_agent_answer_reaches_the_sandbox_with_its_ticks()
    {
        var waId = "4917" + Random.Shared.NextInt64(100_000_000, 999_999_999);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var customer = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Host.BaseAddress.AbsoluteUri });
        var agent = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = Host.BaseAddress.AbsoluteUri });
        var consoleErrors = new List<string>();
        agent.Console += (_, message) => { if (message.Type == "error") { consoleErrors.Add(message.Text + " " + message.Location); } };

        await customer.GotoAsync("/sandbox");
        await customer.GetByLabel("Customer WhatsApp number").FillAsync(waId);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Open chat" }).ClickAsync();
        await customer.GetByLabel("Message from the customer").FillAsync("Wo ist mein Paket?");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Send as customer" }).ClickAsync();

        await agent.GotoAsync("/console/inbox");
        await agent.GetByLabel("API key").FillAsync(Host.Settings["Api__Key"]);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        var conversation = agent.GetByRole(AriaRole.Navigation, new() { Name = "Conversations" }).GetByRole(AriaRole.Button).Filter(new() { HasText = "Wo ist mein Paket?" });
        await Assertions.Expect(conversation).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(conversation.GetByLabel("1 unread")).ToBeVisibleAsync();
        await conversation.ClickAsync();
        var thread = agent.GetByRole(AriaRole.Log, new() { Name = "Thread" });
        await Assertions.Expect(thread.GetByText("Wo ist mein Paket?")).ToBeVisibleAsync();
        await Assertions.Expect(conversation.GetByLabel("1 unread")).Not.ToBeVisibleAsync();

        await agent.GetByLabel("Reply").FillAsync("Ihr Paket kommt morgen.");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();

        var answer = customer.GetByRole(AriaRole.Log).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Ihr Paket kommt morgen." });
        await Assertions.Expect(answer).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(answer.GetByLabel("Status: read")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var reply = thread.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Ihr Paket kommt morgen." });
        await Assertions.Expect(reply.GetByLabel("Status: read")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Empty(consoleErrors);
    }
}
