using System.Security.Cryptography;
using Messaging.Shared.Configuration;
using Messaging.Shared.Security;
using Messaging.Shared.Storage;
using Messaging.Shared.Tests.Infrastructure;
using Messaging.Shared.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Messaging.Shared.Tests.Webhooks;

public sealed class WebhookIngressTests
{
    private const string AppSecret = "ingress-test-secret";
    private static readonly byte[] Body = WebhookParserTests.Fixture("text");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly HangingQueue _queue = new();

    [Fact]
    public async Task A_storage_that_does_not_answer_gets_the_ack_refused_when_the_ack_timeout_passes_not_later()
    {
        var ingress = Ingress();
        var accept = ingress.AcceptAsync(Sign(Body), Body, CancellationToken.None);
        await _queue.Called.Task;

        _clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(accept.IsCompleted);
        // 3 s, plus a second per MiB of body (this one is 1 KB).
        _clock.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(IngressStatus.StorageUnavailable, await accept);
    }

    [Fact]
    public async Task After_repeated_timeouts_the_ack_refuses_at_once_and_a_probe_later_closes_the_breaker()
    {
        var ingress = Ingress();
        for (var i = 0; i < CircuitBreaker.FailuresToOpen; i++)
        {
            var accept = ingress.AcceptAsync(Sign(Body), Body, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(3.2));
            Assert.Equal(IngressStatus.StorageUnavailable, await accept);
        }

        var callsWhileOpen = _queue.Calls;
        Assert.Equal(IngressStatus.StorageUnavailable, await ingress.AcceptAsync(Sign(Body), Body, CancellationToken.None));
        Assert.Equal(callsWhileOpen, _queue.Calls);

        _queue.Answer = true;
        _clock.Advance(CircuitBreaker.OpenFor);
        Assert.Equal(IngressStatus.Accepted, await ingress.AcceptAsync(Sign(Body), Body, CancellationToken.None));
        Assert.Equal(IngressStatus.Accepted, await ingress.AcceptAsync(Sign(Body), Body, CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_signature_is_refused_without_touching_storage_even_while_it_is_down()
    {
        var ingress = Ingress();

        Assert.Equal(IngressStatus.SignatureInvalid, await ingress.AcceptAsync("sha256=" + new string('0', 64), Body, CancellationToken.None));
        Assert.Equal(0, _queue.Calls);
    }

    private WebhookIngress Ingress()
    {
        var pepper = RandomNumberGenerator.GetBytes(32);
        var storage = new StorageClients(Options.Create(new StorageOptions { ConnectionString = AzuriteFixture.ConnectionStringFor(1, 1, 1) }));
        return new WebhookIngress(
            _queue,
            new WebhookBodyStore(storage, new MasterKey(RandomNumberGenerator.GetBytes(32))),
            new WebhookSignature(AppSecret),
            new KeyedHasher(pepper),
            Options.Create(new IngressOptions()),
            _clock);
    }

    private static string Sign(byte[] body) => new WebhookSignature(AppSecret).Sign(body);

    /// <summary>A queue whose puts never come back (until told to answer), as against a frozen storage account.</summary>
    private sealed class HangingQueue : IWebhookQueue
    {
        private int _calls;

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Answer { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public int InlineBodyLimit => 24 * 1024;

        public async Task EnqueueAsync(WebhookEnvelope envelope, string routingKey, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Called.TrySetResult();
            if (!Answer)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }
}
