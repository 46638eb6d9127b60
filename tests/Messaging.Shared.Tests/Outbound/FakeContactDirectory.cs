using System.Collections.Concurrent;
using Messaging.Shared.Contacts;

namespace Messaging.Shared.Tests.Outbound;

/// <summary>An in-memory contact directory: only the lookup the messenger uses is implemented.</summary>
public sealed class FakeContactDirectory : IContactDirectory
{
    private readonly ConcurrentDictionary<string, ContactAddress> _addresses = new();

    public void Add(ContactAddress address) => _addresses[address.ContactKey] = address;

    public Task<ContactAddress?> GetAddressAsync(string contactKey, CancellationToken cancellationToken) =>
        Task.FromResult(_addresses.TryGetValue(contactKey, out var address) ? address : null);

    public Task<string> ResolveOrCreateByPhoneAsync(string phoneE164, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string?> FindByPhoneAsync(string phoneE164, CancellationToken cancellationToken) => throw new NotSupportedException();
}
