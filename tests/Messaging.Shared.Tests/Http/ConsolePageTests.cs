using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Messaging.Shared.Campaigns.Console;
using Messaging.Shared.Conversations;
using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;

namespace Messaging.Shared.Tests.Http;

/// <summary>The consoles are single HTML files under a policy that lets only their own inline script and style run.</summary>
public sealed partial class ConsolePageTests
{
    public static TheoryData<string> Pages() => new() { "campaigns", "inbox" };

    private static ConsolePage Page(string name) => name switch
    {
        "campaigns" => new CampaignConsoleHandlers().Show().Page,
        "inbox" => new InboxPageHandlers().Page().Page,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void The_policy_allows_exactly_the_pages_own_script_and_style_and_nothing_from_elsewhere(string name)
    {
        var page = Page(name);
        var script = Assert.Single(ScriptBlock().Matches(page.Html)).Groups[1].Value;
        var style = Assert.Single(StyleBlock().Matches(page.Html)).Groups[1].Value;

        Assert.Contains($"script-src 'sha256-{Hash(script)}';", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains($"style-src 'sha256-{Hash(style)}';", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none';", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", page.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void The_page_loads_nothing_from_another_origin_sets_no_cookie_and_has_no_inline_handlers(string name)
    {
        var html = Page(name).Html;

        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("document.cookie", html, StringComparison.Ordinal);
        Assert.DoesNotContain("localStorage", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_script_gets_a_different_hash_so_an_injected_script_would_not_run()
    {
        var original = ConsolePage.FromHtml("<style>p{}</style><script>run()</script>");
        var tampered = ConsolePage.FromHtml("<style>p{}</style><script>run();steal()</script>");

        Assert.NotEqual(original.ContentSecurityPolicy, tampered.ContentSecurityPolicy);
        Assert.Contains("script-src 'none'", ConsolePage.FromHtml("<p>static</p>").ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_response_carries_the_policy_and_is_neither_cached_nor_sniffed()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var result = new CampaignConsoleHandlers().Show();

        await result.ExecuteAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        Assert.Equal(result.Page.ContentSecurityPolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", context.Response.Headers["Referrer-Policy"].ToString());
        Assert.Equal(result.Page.Html, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    [GeneratedRegex(@"(src|href|action)\s*=\s*[""']?(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
