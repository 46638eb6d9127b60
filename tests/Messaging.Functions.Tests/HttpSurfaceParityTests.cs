using System.Net;
using System.Text.Json.Nodes;
using Messaging.Functions.Tests.Infrastructure;
using Messaging.LocalHost.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Messaging.Functions.Tests;

/// <summary>
/// LocalHost mirrors the Functions app route for route (design.md). Compared on what each really exposes: the
/// functions.metadata the Functions host reads, and the endpoints LocalHost's routing serves.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class HttpSurfaceParityTests(ParityHosts hosts)
{
    private IReadOnlyList<HttpEntry> LocalHostSurface => HttpSurface.OfLocalHost(hosts.LocalHost.Endpoints);

    [Fact]
    public void Every_http_function_is_a_LocalHost_endpoint_with_the_same_name_method_route_and_auth_level()
    {
        var functions = FunctionsSurface(FunctionsMetadata.ReadText());

        Assert.NotEmpty(functions);
        var differences = HttpSurface.Differences(functions, LocalHostSurface);
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    /// <summary>Each mutation is a drift between the hosts; the comparison must report it from both sides.</summary>
    [Theory]
    [InlineData("StartOptIn", "authLevel", "Anonymous")]
    [InlineData("ReceiveWebhook", "authLevel", "Function")]
    [InlineData("ListParkedWebhooks", "authLevel", "Admin")]
    [InlineData("GetContactConsent", "route", "api/contacts/{key}/consent")]
    [InlineData("Health", "route", "health")]
    [InlineData("LookupContact", "methods", "get")]
    [InlineData("SubmitOptInPage", "methods", "put")]
    public void The_comparison_reports_a_function_whose_route_method_or_auth_level_differs(string function, string property, string value)
    {
        var mutated = FunctionsMetadata.WithHttpTrigger(FunctionsMetadata.ReadText(), function, trigger =>
            trigger[property] = property == "methods" ? new JsonArray(value) : value);

        var differences = HttpSurface.Differences(FunctionsSurface(mutated), LocalHostSurface);

        Assert.Contains(differences, d => d.StartsWith("only in Functions:", StringComparison.Ordinal) && d.Contains($"\"{function}\"", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("only on LocalHost:", StringComparison.Ordinal) && d.Contains($"\"{function}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_comparison_reports_a_function_that_is_missing_or_renamed()
    {
        var missing = HttpSurface.Differences(FunctionsSurface(FunctionsMetadata.Without(FunctionsMetadata.ReadText(), "ShowOptInPage")), LocalHostSurface);
        var renamed = HttpSurface.Differences(FunctionsSurface(FunctionsMetadata.Renamed(FunctionsMetadata.ReadText(), "Health", "Ping")), LocalHostSurface);

        Assert.Equal("only on LocalHost: GET /optin \"ShowOptInPage\" auth=Anonymous", Assert.Single(missing));
        Assert.Equal(2, renamed.Count);
    }

    [Fact]
    public void The_comparison_reports_a_LocalHost_endpoint_that_lost_its_api_key()
    {
        var opened = LocalHostSurface.Select(e => e.Name == "ListParkedWebhooks" ? e with { Auth = HttpSurface.Anonymous } : e).ToList();

        var differences = HttpSurface.Differences(FunctionsSurface(FunctionsMetadata.ReadText()), opened);

        Assert.Contains("only on LocalHost: GET /api/operations/parked-webhooks \"ListParkedWebhooks\" auth=Anonymous", differences);
    }

    /// <summary>The marker the comparison reads is backed by the filter that enforces it, and only there.</summary>
    [Fact]
    public async Task Every_LocalHost_endpoint_marked_as_needing_the_api_key_refuses_calls_without_it_and_no_other_does()
    {
        var checkedEndpoints = 0;
        foreach (var endpoint in hosts.LocalHost.Endpoints.Where(e => !HttpSurface.IsLocalHostOnly(e)))
        {
            var path = HttpSurface.Normalize(endpoint.RoutePattern.RawText!).Replace("{", "x", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                using var anonymous = await hosts.LocalHost.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                var body = await anonymous.Content.ReadAsStringAsync();
                if (endpoint.Metadata.GetMetadata<ApiKeyRequirement>() is not null)
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                    Assert.Contains("x-functions-key", body, StringComparison.Ordinal);
                    using var wrong = new HttpRequestMessage(new HttpMethod(method), path);
                    wrong.Headers.Add(ApiKeyFilter.Header, "not-the-key");
                    Assert.Equal(HttpStatusCode.Forbidden, (await hosts.LocalHost.Client.SendAsync(wrong)).StatusCode);
                    checkedEndpoints++;
                }
                else
                {
                    // Not the key filter's refusal (an unsigned webhook is a 401 too, for its own reason). The inbox
                    // page's script names the header it sends, so the header name alone in a body says nothing.
                    Assert.DoesNotContain("The x-functions-key header is required", body, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal(FunctionsSurface(FunctionsMetadata.ReadText()).Count(e => e.Auth == HttpSurface.FunctionKey), checkedEndpoints);
    }

    [Fact]
    public void Every_LocalHost_endpoint_has_a_name_a_summary_and_a_tag()
    {
        var undescribed = hosts.LocalHost.Endpoints
            .Where(e => !(e.RoutePattern.RawText ?? "").StartsWith("/openapi/", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is null
                || e.Metadata.GetMetadata<IEndpointSummaryMetadata>() is null
                || e.Metadata.GetMetadata<ITagsMetadata>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.True(undescribed.Count == 0, "Without name, summary or tag: " + string.Join(", ", undescribed));
    }

    [Fact]
    public void The_opt_in_page_can_be_served_outside_api_because_the_route_prefix_is_empty()
    {
        // LocalHost serves pages such as /optin outside /api; with the default prefix every function would be under /api.
        Assert.Equal("", HostJson.RoutePrefix());
    }

    private static IReadOnlyList<HttpEntry> FunctionsSurface(string metadata) =>
        HttpSurface.OfFunctions(FunctionsMetadata.Parse(metadata), HostJson.RoutePrefix());
}
