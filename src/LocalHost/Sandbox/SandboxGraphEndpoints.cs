using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Messaging.Shared.LocalHostOnly.Sandbox;
using Messaging.Shared.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Sandbox;

/// <summary>The sandbox's stand-in for <c>graph.facebook.com</c>: the send endpoint, answering like the Cloud API.</summary>
public static class SandboxGraphEndpoints
{
    private static readonly SandboxError BadToken = new(190, "Invalid OAuth access token - Cannot parse access token", "The sandbox issues its own token per process.", 401);

    public static IEndpointRouteBuilder MapSandboxGraphEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sandbox/graph").WithTags("Sandbox");

        group.MapPost("/{version}/{phoneNumberId}/messages", SendAsync)
            .WithName("SandboxGraphSendMessage")
            .WithSummary("Fake Cloud API send: checks the bearer token and the request like Graph, records the message, then plays sent/delivered/read webhooks.")
            .DisableAntiforgery();

        group.MapGet("/{version}/{businessAccountId}/message_templates", (string version, string businessAccountId, HttpRequest request, SandboxActivation sandbox) =>
                sandbox.Authorizes(request.Headers.Authorization.ToString()) && businessAccountId == sandbox.Business.BusinessAccountId
                    ? Results.Json(new { data = SandboxTemplates.All, paging = new { cursors = new { before = "MAZDZD", after = "MjQZD" } } })
                    : Results.Json(new { error = new { message = "Invalid OAuth access token or business account", type = "OAuthException", code = 190 } }, statusCode: 401))
            .WithName("SandboxGraphMessageTemplates")
            .WithSummary("Fake Graph message_templates: marketing and utility, German and English, one with Meta's marketing opt-out button.");
        group.MapGet("/{version}/{mediaId}", GetMedia)
            .WithName("SandboxGraphGetMedia")
            .WithSummary("Fake media lookup: ids starting with sandbox-media- are known and point at a small PNG.");

        group.MapGet("/media-download/{mediaId}", DownloadMedia)
            .WithName("SandboxGraphDownloadMedia")
            .WithSummary("Fake media download (bearer token required, like Meta's short-lived media URLs).");

        return app;
    }

    /// <summary>A 1x1 PNG: the attachment every sandbox media id resolves to.</summary>
    internal static readonly byte[] SandboxPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    internal const string SandboxMediaPrefix = "sandbox-media-";

    internal static IResult GetMedia(string version, string mediaId, HttpRequest request, SandboxActivation sandbox)
    {
        if (!sandbox.Authorizes(request.Headers.Authorization))
        {
            return Refuse(BadToken);
        }

        if (!mediaId.StartsWith(SandboxMediaPrefix, StringComparison.Ordinal))
        {
            return Refuse(new SandboxError(100, "Invalid parameter", "Unknown media id in the sandbox.", 404));
        }

        var url = new Uri(sandbox.GraphBaseUrl.AbsoluteUri.TrimEnd('/') + "/media-download/" + Uri.EscapeDataString(mediaId));
        return TypedResults.Json(new JsonObject { ["url"] = url.AbsoluteUri, ["mime_type"] = "image/png", ["id"] = mediaId, ["file_size"] = SandboxPng.Length });
    }

    internal static IResult DownloadMedia(string mediaId, HttpRequest request, SandboxActivation sandbox) =>
        !sandbox.Authorizes(request.Headers.Authorization) ? Refuse(BadToken)
        : mediaId.StartsWith(SandboxMediaPrefix, StringComparison.Ordinal) ? TypedResults.Bytes(SandboxPng, "image/png")
        : TypedResults.NotFound();

    internal static async Task<JsonHttpResult<JsonObject>> SendAsync(
        string version,
        string phoneNumberId,
        HttpRequest request,
        SandboxActivation sandbox,
        SandboxConversations conversations,
        SandboxStatusEmitter emitter,
        IOptions<SandboxOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!sandbox.Authorizes(request.Headers.Authorization))
        {
            return Refuse(BadToken);
        }

        if (phoneNumberId != sandbox.Business.PhoneNumberId)
        {
            return Refuse(new SandboxError(100, "Invalid parameter", "Unsupported post request: no phone number with this id in the sandbox."), "GraphMethodException");
        }

        var body = await WebhookBodyReader.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        if (body is null)
        {
            return Refuse(new SandboxError(100, "Invalid parameter", "The request body is too large."));
        }

        var parsed = GraphSendParser.Parse(body);
        if (parsed.Send is not { } send)
        {
            return Refuse(parsed.Error!);
        }

        var failure = conversations.TakeNextFailure();
        if (failure is { AsStatus: false })
        {
            return Refuse(failure.Error);
        }

        var category = send.Type == "template"
            ? options.Value.TemplateCategories.GetValueOrDefault(send.TemplateName!) ?? options.Value.DefaultTemplateCategory
            : "service";
        if (failure is null && category == "marketing" && conversations.IsMarketingStopped(send.WaId))
        {
            // As at Meta: accepted by the API, then a failed status (reference §2.3, §3.5).
            failure = new SandboxNextFailure(SandboxError.Known(131050)!, AsStatus: true);
        }

        var wamid = SandboxWamid.New();
        var now = time.GetUtcNow();
        var message = new SandboxChatMessage(
            wamid, send.WaId, "business", send.Type, now, send.Text, send.TemplateName, send.TemplateLanguage,
            send.BodyParameters, send.QuickReplies, PricingCategory: category, Status: "accepted");
        conversations.Add(message);
        emitter.Schedule(new SandboxDelivery(message, send.BizOpaqueCallbackData, now, failure));
        return TypedResults.Json(GraphReplies.Accepted(send, wamid));
    }

    private static JsonHttpResult<JsonObject> Refuse(SandboxError error, string type = "OAuthException") =>
        TypedResults.Json(GraphReplies.Error(error, "A" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)), type), statusCode: error.HttpStatus);
}
