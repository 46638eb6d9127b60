using Messaging.Shared.Configuration;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Sandbox;

/// <summary>The sandbox's own API, used by its page: play a customer, read the simulated chats, arm failures.</summary>
public static class SandboxApiEndpoints
{
    public static IEndpointRouteBuilder MapSandboxApiEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sandbox/api").WithTags("Sandbox");

        group.MapGet("/status", Status)
            .WithName("SandboxStatus")
            .WithSummary("Whether the sandbox is active and where outbound goes (never the token).");

        group.MapGet("/conversations", ListConversations)
            .WithName("SandboxListConversations")
            .WithSummary("Simulated customers, newest activity first (in memory only).");

        group.MapGet("/conversations/{waId}", GetConversation)
            .WithName("SandboxGetConversation")
            .WithSummary("Everything sent to and by one simulated customer, with delivery statuses.");

        group.MapPost("/customers/{waId}/messages", SendAsCustomerAsync)
            .WithName("SandboxSendAsCustomer")
            .WithSummary("Sends a text or a quick-reply tap as the customer: a signed webhook into the real webhook endpoint.")
            .DisableAntiforgery();

        group.MapPost("/customers/{waId}/marketing-preference", SetMarketingPreferenceAsync)
            .WithName("SandboxSetMarketingPreference")
            .WithSummary("The customer stops or resumes marketing in WhatsApp: a signed user_preferences webhook; marketing templates then fail with 131050.")
            .DisableAntiforgery();

        group.MapPost("/next-send-failure", ArmFailure)
            .WithName("SandboxArmSendFailure")
            .WithSummary("Makes the next send fail with a Cloud API error code, in the response or as a failed status.")
            .DisableAntiforgery();

        group.MapDelete("/next-send-failure", DisarmFailure)
            .WithName("SandboxDisarmSendFailure")
            .WithSummary("Cancels an armed send failure.");

        return app;
    }

    internal static Ok<SandboxStatusView> Status(SandboxActivation sandbox, SandboxConversations conversations, IOptions<MetaOptions> meta, IOptions<SandboxOptions> options)
    {
        var m = meta.Value;
        var o = options.Value;
        return TypedResults.Ok(new SandboxStatusView(
            Active: true,
            m.GraphApiBaseUrl.AbsoluteUri.TrimEnd('/'),
            m.GraphApiVersion,
            m.PhoneNumberId ?? "",
            sandbox.Business.DisplayPhoneNumber,
            sandbox.WebhookUrl.AbsoluteUri,
            [(int)o.SentAfter.TotalMilliseconds, (int)o.DeliveredAfter.TotalMilliseconds, (int)o.ReadAfter.TotalMilliseconds],
            conversations.PeekNextFailure()?.Error.Code));
    }

    internal static Ok<IReadOnlyList<SandboxConversationSummary>> ListConversations(SandboxConversations conversations) =>
        TypedResults.Ok(conversations.List());

    internal static Results<Ok<SandboxConversation>, ValidationProblem> GetConversation(string waId, SandboxConversations conversations) =>
        GraphSendParser.IsWaId(waId) ? TypedResults.Ok(conversations.Get(waId)) : InvalidWaId();

    internal static async Task<Results<Ok<CustomerMessageAccepted>, ValidationProblem, ProblemHttpResult>> SendAsCustomerAsync(
        string waId,
        CustomerMessageRequest body,
        SandboxActivation sandbox,
        SandboxConversations conversations,
        SandboxWebhookPoster poster,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!GraphSendParser.IsWaId(waId))
        {
            return InvalidWaId();
        }

        var hasText = !string.IsNullOrWhiteSpace(body.Text);
        var hasButton = !string.IsNullOrWhiteSpace(body.ButtonPayload);
        if (hasText == hasButton)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send either text or buttonPayload (with an optional buttonText)."] });
        }

        if (hasText && body.Text!.Length > GraphSendParser.MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"WhatsApp messages are at most {GraphSendParser.MaxTextLength} characters."] });
        }

        var wamid = SandboxWamid.New();
        var now = time.GetUtcNow();
        SandboxChatMessage message;
        byte[] webhook;
        if (hasText)
        {
            message = new SandboxChatMessage(wamid, waId, "customer", "text", now, body.Text);
            webhook = SandboxWebhooks.InboundText(sandbox.Business, waId, body.Name, wamid, now, body.Text!);
        }
        else
        {
            var payload = body.ButtonPayload!;
            var label = string.IsNullOrWhiteSpace(body.ButtonText) ? payload : body.ButtonText;
            var context = body.ContextMessageId ?? conversations.FindQuickReplySource(waId, payload)?.Id;
            message = new SandboxChatMessage(wamid, waId, "customer", "button", now, label, ButtonPayload: payload, ContextMessageId: context);
            webhook = SandboxWebhooks.InboundButton(sandbox.Business, waId, body.Name, wamid, now, payload, label, context);
        }

        if (!await poster.PostAsync("inbound " + message.Type, webhook, cancellationToken))
        {
            return WebhookRefused();
        }

        conversations.Add(message);
        return TypedResults.Ok(new CustomerMessageAccepted(wamid));
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetMarketingPreferenceAsync(
        string waId,
        MarketingPreferenceRequest body,
        SandboxActivation sandbox,
        SandboxConversations conversations,
        SandboxWebhookPoster poster,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!GraphSendParser.IsWaId(waId))
        {
            return InvalidWaId();
        }

        if (body.Value is not ("stop" or "resume"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["value"] = ["Use stop or resume."] });
        }

        var webhook = SandboxWebhooks.UserPreference(sandbox.Business, waId, body.Value, time.GetUtcNow());
        if (!await poster.PostAsync("user_preferences", webhook, cancellationToken))
        {
            return WebhookRefused();
        }

        conversations.SetMarketingStopped(waId, body.Value == "stop");
        return TypedResults.NoContent();
    }

    internal static Results<Ok<SandboxNextFailure>, ValidationProblem> ArmFailure(SendFailureRequest body, SandboxConversations conversations)
    {
        if (SandboxError.Known(body.Code) is not { } error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = ["The sandbox can simulate 100, 130429, 131026, 131047, 131049, 131050, 131056, 132001 and 132015."],
            });
        }

        var failure = new SandboxNextFailure(error, body.AsStatus ?? error.ArrivesAsStatus);
        conversations.FailNextSend(failure);
        return TypedResults.Ok(failure);
    }

    internal static NoContent DisarmFailure(SandboxConversations conversations)
    {
        conversations.FailNextSend(null);
        return TypedResults.NoContent();
    }

    private static ValidationProblem InvalidWaId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["waId"] = ["A WhatsApp id is 8 to 15 digits, country code first, no plus."] });

    private static ProblemHttpResult WebhookRefused() =>
        TypedResults.Problem("The app's webhook endpoint did not accept the sandbox's webhook; see the log.", statusCode: StatusCodes.Status502BadGateway);
}
