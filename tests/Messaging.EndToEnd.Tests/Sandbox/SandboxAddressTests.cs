using Messaging.LocalHost.Sandbox;

namespace Messaging.EndToEnd.Tests.Sandbox;

public sealed class SandboxAddressTests
{
    [Theory]
    [InlineData(null, "http://127.0.0.1:7071", "http://127.0.0.1:7071/")]
    [InlineData(null, "https://localhost:7443;http://localhost:7071", "http://localhost:7071/")]
    [InlineData(null, "http://*:8080", "http://127.0.0.1:8080/")]
    [InlineData(null, "http://+:8080", "http://127.0.0.1:8080/")]
    [InlineData(null, "http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData(null, "http://[::]:8080", "http://[::1]:8080/")]
    [InlineData(null, "https://localhost:7443", "https://localhost:7443/")]
    [InlineData(null, null, "http://localhost:5000/")]
    [InlineData(null, "", "http://localhost:5000/")]
    [InlineData("http://dev-box:9000/app/", "http://127.0.0.1:7071", "http://dev-box:9000/app")]
    public void The_apps_own_address_comes_from_Sandbox_BaseUrl_then_the_first_http_url(string? configured, string? urls, string expected) =>
        Assert.Equal(expected, SandboxAddress.Resolve(configured, urls).AbsoluteUri);

    [Theory]
    [InlineData(null, "http://127.0.0.1:0")]
    [InlineData("not a url", null)]
    [InlineData("ftp://host", null)]
    public void An_address_that_cannot_be_called_back_stops_start_up_with_a_hint(string? configured, string? urls)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SandboxAddress.Resolve(configured, urls));
        Assert.Contains("Sandbox:BaseUrl", e.Message, StringComparison.Ordinal);
    }
}
