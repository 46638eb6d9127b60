using System.Net;
using System.Net.Sockets;

namespace Messaging.Testing;

/// <summary>
/// A TCP port nobody held a moment ago, for a server a test starts next. It is free on both stacks where the machine
/// has IPv6 (a server bound to "localhost" takes both), else on IPv4. Nothing stops another process from taking it
/// before the server binds; a caller that must not fail on that tries again with another (see DurableTestHosts).
/// </summary>
public static class FreePorts
{
    public static int Next()
    {
        try
        {
            using var dual = new TcpListener(IPAddress.IPv6Any, 0);
            dual.Server.DualMode = true;
            dual.Start();
            return ((IPEndPoint)dual.LocalEndpoint).Port;
        }
        catch (SocketException)
        {
            using var v4 = new TcpListener(IPAddress.Loopback, 0);
            v4.Start();
            return ((IPEndPoint)v4.LocalEndpoint).Port;
        }
    }
}
