using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Messaging.Shared.Configuration;
using Messaging.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Testing;

/// <summary>
/// A real Azurite for integration tests (shared by every test project; each declares its own xunit collection). ./test starts one on free ports and passes its connection string in
/// MESSAGING_TEST_STORAGE; run alone (IDE, dotnet test), the fixture starts its own from the repo's pinned copy.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly bool _private;
    private Process? _process;
    private string? _dataDir;

    public AzuriteFixture()
    {
    }

    private AzuriteFixture(bool privateInstance) => _private = privateInstance;

    /// <summary>An Azurite of its own even under ./test (which shares one), for tests that freeze it.</summary>
    public static AzuriteFixture Private() => new(privateInstance: true);

    public string ConnectionString { get; private set; } = "";

    /// <summary>SIGSTOP: the emulator keeps its sockets open but answers nothing, like a storage account that hangs.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: it carries on with whatever arrived meanwhile.</summary>
    public void Thaw() => Signal("CONT");

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MESSAGING_TEST_STORAGE");
        if (!_private && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            ConnectionString = fromEnvironment;
            return;
        }

        var root = RepoRoot();
        var azurite = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException("Azurite is not installed: run ./test once (it runs npm ci) or set MESSAGING_TEST_STORAGE.");
        }

        _dataDir = Directory.CreateTempSubdirectory("azurite-test").FullName;
        int blob = FreePorts.Next(), queue = FreePorts.Next(), table = FreePorts.Next();
        _process = Process.Start(new ProcessStartInfo("node",
            [azurite, "--location", _dataDir, "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
             "--skipApiVersionCheck", "--disableProductStyleUrl", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        foreach (var port in new[] { blob, queue, table })
        {
            await WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        }

        ConnectionString = ConnectionStringFor(blob, queue, table);
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Thaw();
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        if (_dataDir is not null)
        {
            try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
        }

        return Task.CompletedTask;
    }

    /// <summary>Storage clients whose names carry a fresh prefix, so tests never see each other's data.</summary>
    public StorageClients CreateIsolatedStorage(out StorageOptions options)
    {
        options = new StorageOptions
        {
            ConnectionString = ConnectionString,
            NamePrefix = "t" + Guid.NewGuid().ToString("N")[..10],
        };
        return new StorageClients(Options.Create(options));
    }

    public async Task<StorageClients> CreateStorageAsync()
    {
        var clients = CreateIsolatedStorage(out _);
        await clients.EnsureCreatedAsync(CancellationToken.None);
        return clients;
    }

    public static string ConnectionStringFor(int blob, int queue, int table) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Messaging.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Messaging.sln).");
    }

    private void Signal(string signal)
    {
        if (_process is null)
        {
            throw new InvalidOperationException("Only an Azurite this fixture started itself can be frozen.");
        }

        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
