using Microsoft.Extensions.Options;

namespace Messaging.EndToEnd.Tests.Sandbox;

/// <summary>Options that never change, for constructing the shared client outside a container.</summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
