using Messaging.Functions.Tests.Infrastructure;
using Messaging.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messaging.Functions.Tests;

[Collection(LocalHostCollection.Name)]
public sealed class LocalHostAppTests
{
    [Fact]
    public async Task Hosts_built_elsewhere_while_LocalHost_starts_are_not_taken_for_it()
    {
        // What the Durable tests do beside this collection: their worker hosts are generic hosts too.
        using var stop = new CancellationTokenSource();
        var othersBuilt = 0;
        var others = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var other = Host.CreateDefaultBuilder().Build();
                Interlocked.Increment(ref othersBuilt);
            }
        });

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref othersBuilt) > 0));
            var settings = LocalHostApp.StandaloneSettings();
            settings["Processing:Enabled"] = "false";
            await using var localHost = await LocalHostApp.StartAsync(settings);

            Assert.NotNull(localHost.Services.GetService<StorageClients>());
            var challenge = await localHost.Client.GetStringAsync(
                new Uri($"/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={LocalHostApp.StandaloneVerifyToken}&hub.challenge=1158201444", UriKind.Relative));
            Assert.Equal("1158201444", challenge);
        }
        finally
        {
            await stop.CancelAsync();
            await others;
        }
    }
}
