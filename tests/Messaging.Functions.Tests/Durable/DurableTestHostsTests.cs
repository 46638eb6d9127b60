using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Messaging.Functions.Tests.Durable;

public sealed class DurableTestHostsTests
{
    [Fact]
    public async Task A_port_taken_between_the_probe_and_the_bind_costs_one_more_attempt_not_the_test()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var tried = new List<int>();
        var next = new Queue<int>([takenPort]);

        await using var host = await DurableTestHosts.StartAsync(
            tasks => tasks.AddOrchestratorFunc<string, string>("Echo", (_, input) => Task.FromResult(input)),
            () =>
            {
                var port = next.TryDequeue(out var first) ? first : FreePorts.Next();
                tried.Add(port);
                return port;
            });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "ping");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal("ping", done.ReadOutputAs<string>());
        Assert.Equal(2, tried.Count);
        Assert.Equal(takenPort, tried[0]);
    }

    [Fact]
    public async Task A_port_that_is_never_free_fails_after_the_last_attempt_with_the_bind_error()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var attempts = 0;

        await Assert.ThrowsAsync<IOException>(() => DurableTestHosts.StartAsync(
            tasks => tasks.AddOrchestratorFunc<string, string>("Echo", (_, input) => Task.FromResult(input)),
            () =>
            {
                attempts++;
                return takenPort;
            }));
        Assert.Equal(DurableTestHosts.Attempts, attempts);
    }
}
