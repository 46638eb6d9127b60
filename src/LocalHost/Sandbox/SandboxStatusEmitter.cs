using System.Threading.Channels;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Sandbox;

/// <summary>
/// Plays the phone's side after a send: sent, delivered and read status webhooks at the configured delays after
/// acceptance (or one failed status, for a simulated 131050 and the like). Runs off the request path, because Meta's
/// statuses arrive later than its 200, and an app that waited for them inline would be wrong in production.
/// </summary>
public sealed class SandboxStatusEmitter(
    SandboxConversations conversations,
    SandboxActivation sandbox,
    SandboxWebhookPoster poster,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SandboxStatusEmitter> logger) : BackgroundService
{
    private const int DeliveryAttempts = 3;
    private readonly Channel<SandboxDelivery> _pending = Channel.CreateUnbounded<SandboxDelivery>(new UnboundedChannelOptions { SingleReader = true });

    public void Schedule(SandboxDelivery delivery) => _pending.Writer.TryWrite(delivery);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            // One task per message so a slow read receipt never holds back the next message's "sent".
            _ = Task.Run(() => PlayAsync(delivery, stoppingToken), stoppingToken);
        }
    }

    private async Task PlayAsync(SandboxDelivery delivery, CancellationToken stoppingToken)
    {
        var o = options.Value;
        IEnumerable<(string Status, TimeSpan After)> steps = delivery.Failure is null
            ? [("sent", o.SentAfter), ("delivered", o.DeliveredAfter), ("read", o.ReadAfter)]
            : [("failed", o.SentAfter)];
        try
        {
            foreach (var (status, after) in steps)
            {
                var wait = delivery.AcceptedAt + after - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                var message = delivery.Message;
                var body = SandboxWebhooks.Status(sandbox.Business, message.Id, status, time.GetUtcNow(), message.WaId, message.PricingCategory ?? "service", delivery.BizOpaqueCallbackData, delivery.Failure?.Error);
                if (await PostWithRetriesAsync(status, body, stoppingToken))
                {
                    conversations.Advance(message.Id, status, delivery.Failure?.Error.Code);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError("Sandbox status playback stopped: {ExceptionType}", e.GetType().Name);
        }
    }

    private async Task<bool> PostWithRetriesAsync(string status, byte[] body, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await poster.PostAsync("status " + status, body, stoppingToken))
            {
                return true;
            }

            if (attempt == DeliveryAttempts)
            {
                return false;
            }

            // Meta keeps retrying for days; a short back-off is enough to ride out a start-up race here.
            await Task.Delay(TimeSpan.FromSeconds(attempt), time, stoppingToken);
        }
    }
}
