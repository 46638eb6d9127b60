using System.Buffers.Text;
using System.Security.Cryptography;
using Messaging.Shared.Configuration;
using Messaging.Shared.LocalHostOnly.Sandbox;

namespace Messaging.LocalHost.Sandbox;

public static class SandboxServiceExtensions
{
    /// <summary>
    /// Turns the sandbox on when Meta credentials are missing (no Meta:AccessToken or no Meta:PhoneNumberId): outbound
    /// is pointed at <c>/sandbox/graph</c> on this app, with a fake phone number id and a random per-process token.
    /// With credentials nothing is registered, so <see cref="SandboxEndpoints.MapSandboxEndpoints"/> maps nothing and
    /// real traffic can never reach the sandbox.
    /// </summary>
    public static WebApplicationBuilder AddMetaSandbox(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var meta = builder.Configuration.GetSection(MetaOptions.Section).Get<MetaOptions>() ?? new MetaOptions();
        if (meta.HasCredentials)
        {
            return builder;
        }

        var section = builder.Configuration.GetSection(SandboxOptions.Section);
        var options = section.Get<SandboxOptions>() ?? new SandboxOptions();
        var baseAddress = SandboxAddress.Resolve(options.BaseUrl, builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        var token = string.IsNullOrWhiteSpace(options.AccessToken)
            ? "sandbox-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))
            : options.AccessToken;
        var sandbox = new SandboxActivation(baseAddress, token, new SandboxBusiness(options.BusinessAccountId, options.PhoneNumberId, options.DisplayPhoneNumber))
        {
            IncompleteCredentials = !string.IsNullOrWhiteSpace(meta.AccessToken) || !string.IsNullOrWhiteSpace(meta.PhoneNumberId),
        };

        // Sandbox routes carry the simulated customer's number in the path (/sandbox/api/customers/{waId}/...), and
        // people may type a real one; the per-request "Request starting <path>" lines must not put it in the log.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(sandbox);
        services.AddOptions<SandboxOptions>().Bind(section);
        services.AddSingleton<SandboxConversations>();
        services.AddSingleton<SandboxWebhookPoster>();
        services.AddHttpClient(SandboxWebhookPoster.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<SandboxStatusEmitter>();
        services.AddHostedService(sp => sp.GetRequiredService<SandboxStatusEmitter>());
        services.PostConfigure<MetaOptions>(o =>
        {
            // Re-checked here: if a reload brings real credentials, they win over the sandbox.
            if (o.HasCredentials)
            {
                return;
            }

            o.GraphApiBaseUrl = sandbox.GraphBaseUrl;
            o.PhoneNumberId = sandbox.Business.PhoneNumberId;
            o.BusinessAccountId = sandbox.Business.BusinessAccountId;
            o.AccessToken = sandbox.AccessToken;
        });
        return builder;
    }
}
