using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.LocalHost.Sandbox;

/// <summary>The sandbox's single page: static HTML and vanilla JS from an embedded resource, no build step, no CDN.</summary>
public static class SandboxPage
{
    private static readonly Lazy<string> Html = new(() => Resource("sandbox.html"));
    private static readonly Lazy<string> Script = new(() => Resource("sandbox.js"));

    public static IEndpointRouteBuilder MapSandboxPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox", Page)
            .WithTags("Sandbox")
            .WithName("SandboxPage")
            .WithSummary("The sandbox chat page: play a customer, watch what the business sends and its delivery ticks.")
            .ExcludeFromDescription();
        app.MapGet("/sandbox/sandbox.js", PageScript)
            .WithTags("Sandbox")
            .WithName("SandboxPageScript")
            .WithSummary("The sandbox page's script.")
            .ExcludeFromDescription();
        return app;
    }

    internal static ContentHttpResult Page(HttpResponse response)
    {
        // The page shows text typed by people and sent by the app; only our own script may run, whatever that text holds.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return TypedResults.Content(Html.Value, "text/html; charset=utf-8");
    }

    internal static ContentHttpResult PageScript() => TypedResults.Content(Script.Value, "text/javascript; charset=utf-8");

    private static string Resource(string name)
    {
        using var stream = typeof(SandboxPage).Assembly.GetManifestResourceStream("Messaging.LocalHost.Sandbox." + name)
            ?? throw new InvalidOperationException($"{name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
