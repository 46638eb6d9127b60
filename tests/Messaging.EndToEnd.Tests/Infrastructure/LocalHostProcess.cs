using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Messaging.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real LocalHost executable on a real loopback port, configured only through environment variables as
/// ./run configures it. Tests talk to it over HTTP, and can kill it the hard way.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalHostProcess(Process process, Uri baseAddress, IReadOnlyDictionary<string, string> settings)
    {
        _process = process;
        BaseAddress = baseAddress;
        Settings = settings;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public static Dictionary<string, string> NewSettings(string storageConnectionString) => new()
    {
        ["Meta__AppSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Meta__VerifyToken"] = "e2e-verify-" + Guid.NewGuid().ToString("N")[..8],
        ["Security__Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Security__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Storage__ConnectionString"] = storageConnectionString,
        ["Storage__NamePrefix"] = "e" + Guid.NewGuid().ToString("N")[..10],
        ["Api__Key"] = "e2e-api-key-" + Guid.NewGuid().ToString("N"),
    };

    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, bool waitForHealthy = true)
    {
        var port = FreePorts.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet", [LocalHostDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        if (!settings.ContainsKey("Logging__LogLevel__Default"))
        {
            info.Environment["Logging__LogLevel__Default"] = "Warning";
        }
        var host = new LocalHostProcess(Process.Start(info)!, baseAddress, settings);
        await host.WaitUntilListeningAsync(waitForHealthy);
        return host;
    }

    /// <summary>SIGKILL: no graceful shutdown, no flushing; what the queue holds is all that survives.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync(bool waitForHealthy)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("LocalHost exited during start:\n" + Output);
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (!waitForHealthy || response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("LocalHost did not become ready:\n" + Output);
    }

    private static string LocalHostDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(AzuriteFixture.RepoRoot(), "src", "LocalHost", "bin", configuration, "net10.0", "Messaging.LocalHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build LocalHost first.", dll);
    }
}
