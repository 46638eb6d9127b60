using System.Security.Cryptography;
using Messaging.Shared.Configuration;
using Messaging.Shared.LocalHostOnly.Queues;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Tests.Infrastructure;

/// <summary>The shared core composed exactly as the hosts compose it, against an isolated slice of Azurite.</summary>
public sealed class CoreHarness : IAsyncDisposable
{
    public const string AppSecret = "integration-app-secret";

    private CoreHarness(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public WebhookSignature Signature => Get<WebhookSignature>();

    /// <summary>Settings of one deployment; pass the same instance to a second harness to "restart" the app.</summary>
    public static Dictionary<string, string?> NewSettings(AzuriteFixture azurite) => new()
    {
        ["Meta:AppSecret"] = AppSecret,
        ["Meta:VerifyToken"] = "integration-verify-token",
        ["Security:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Storage:NamePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
    };

    public static Task<CoreHarness> StartAsync(AzuriteFixture azurite, Action<IServiceCollection>? configure = null, Dictionary<string, string?>? settings = null) =>
        StartAsync(azurite, (services, _) => configure?.Invoke(services), settings);

    public static async Task<CoreHarness> StartAsync(AzuriteFixture azurite, Action<IServiceCollection, IConfiguration> configure, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? NewSettings(azurite)).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddMessagingCore(configuration);
        services.AddSingleton<IWebhookQueue, StorageWebhookQueue>();
        services.AddSingleton<Messaging.Shared.Consent.Sending.IOutboundSendQueue, Messaging.Shared.Consent.Sending.StorageOutboundSendQueue>();
        configure(services, configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<Storage.StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        return new CoreHarness(provider);
    }

    /// <summary>
    /// Runs every queued send now, as the outbound worker would, until the queue is empty (retries queued with a
    /// delay stay hidden and are left). Tests call it where the worker would have run by the time they look.
    /// </summary>
    public async Task DrainOutboundAsync()
    {
        var queue = Get<Messaging.Shared.Storage.StorageClients>().Queue(Messaging.Shared.Storage.StorageNames.OutboundQueue);
        var handler = Get<Messaging.Shared.Consent.Sending.OutboundSendHandler>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                return;
            }

            foreach (var message in batch)
            {
                await handler.HandleAsync(message.Body.ToMemory(), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
