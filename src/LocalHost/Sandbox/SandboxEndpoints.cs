namespace Messaging.LocalHost.Sandbox;

public static class SandboxEndpoints
{
    /// <summary>
    /// Maps the sandbox only when <see cref="SandboxServiceExtensions.AddMetaSandbox"/> activated it (no Meta
    /// credentials). These routes are unauthenticated on purpose: they are a local developer tool that plays Meta
    /// and the customer, and they do not exist at all once real credentials are configured.
    /// </summary>
    public static IEndpointRouteBuilder MapSandboxEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<SandboxActivation>() is not { } sandbox)
        {
            return app;
        }

        app.MapSandboxGraphEndpoints();
        app.MapSandboxApiEndpoints();
        app.MapSandboxPage();
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SandboxEndpoints));
        if (sandbox.IncompleteCredentials)
        {
            logger.LogWarning("Meta credentials are incomplete: both Meta:AccessToken and Meta:PhoneNumberId are needed to reach Meta");
        }

        logger.LogWarning("Meta sandbox active: no Meta credentials configured, outbound goes to {GraphBaseUrl}; open {PageUrl}", sandbox.GraphBaseUrl, new Uri(sandbox.BaseAddress, "/sandbox"));
        return app;
    }
}
