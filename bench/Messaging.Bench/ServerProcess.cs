using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Messaging.Bench;

/// <summary>A server under test: a separate <c>dotnet</c> process on its own loopback port.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public int Port => BaseAddress.Port;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown hooks, no flushing; only what storage holds survives.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public static async Task<ServerProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string healthPath, int? port = null)
    {
        port ??= FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Per-request Information logs to the console would dominate both servers; production logs go elsewhere.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var server = new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."), baseAddress);
        try
        {
            await server.WaitUntilHealthyAsync(healthPath);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync(string healthPath)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("Server exited during start:\n" + Output);
            }

            try
            {
                using var response = await client.GetAsync(new Uri(healthPath, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("Server did not become healthy:\n" + Output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
