using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace Messaging.Functions.Tests.Durable;

/// <summary>
/// Starts the in-process Durable runtime on a port nobody holds. Left to itself the test host picks a random port in
/// 30000-40000 without checking it; a probed free port can still be taken before Kestrel binds it (under ./test the
/// other test projects open connections to the shared Azurite all the time, and the host binds "localhost", so IPv6
/// too). Such a start fails with "address already in use" before anything ran, so it is safe to try another port.
/// </summary>
public static class DurableTestHosts
{
    public const int Attempts = 5;

    public static Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> tasks) => StartAsync(tasks, FreePorts.Next);

    /// <param name="ports">Where each attempt binds; the tests of this class hand it a taken port first.</param>
    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> tasks, Func<int> ports)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(tasks, new DurableTaskTestHostOptions { Port = ports() });
            }
            catch (IOException bindFailed) when (attempt < Attempts && IsAddressInUse(bindFailed))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception failure) =>
        failure is Microsoft.AspNetCore.Connections.AddressInUseException
        || (failure.InnerException is { } inner && IsAddressInUse(inner))
        || failure.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}
