using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Security;
using Messaging.Shared.Conversations;

namespace Messaging.LocalHost.Conversations;

/// <summary>The agents' conversation API (the Functions app's ConversationFunctions).</summary>
public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Conversations").RequireApiKey();

        group.MapGet("/conversations", (HttpRequest request, ConversationHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ListAsync(request, cancellationToken))
            .WithName("ListConversations")
            .WithSummary("Conversations newest first, 50 a page: ?status=open|closed|all (default open)&cursor=nextCursor.");

        group.MapPut("/conversations/{contactKey}", (HttpRequest request, string contactKey, ConversationHandlers handlers, CancellationToken cancellationToken) =>
                handlers.UpdateAsync(request, contactKey, cancellationToken))
            .WithName("UpdateConversation")
            .WithSummary("Sets status (open|closed), assignee (empty unassigns) and labels; what is left out stays.")
            .WithJsonRequestBody<UpdateConversationBody>();

        group.MapPost("/conversations/{contactKey}/read", (string contactKey, ConversationHandlers handlers, CancellationToken cancellationToken) =>
                handlers.MarkReadAsync(contactKey, cancellationToken))
            .WithName("MarkConversationRead")
            .WithSummary("Clears the unread count.");

        group.MapGet("/contacts/{contactKey}/messages", (HttpRequest request, string contactKey, ConversationHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ListMessagesAsync(request, contactKey, cancellationToken))
            .WithName("ListContactMessages")
            .WithSummary("The thread, both directions, decrypted, oldest first within the page: ?before=nextCursor&limit=1..200 (default 50).");

        group.MapPost("/contacts/{contactKey}/messages", (HttpRequest request, string contactKey, ConversationHandlers handlers, CancellationToken cancellationToken) =>
                handlers.SendAsync(request, contactKey, cancellationToken))
            .WithName("SendContactMessage")
            .WithSummary("Replies with {text} (inside the 24-hour window) or {template}; 409 with reason service_window_closed, no_consent or erased. An Idempotency-Key header makes a retry send nothing new.")
            .WithJsonRequestBody<SendMessageBody>();

        group.MapGet("/media/{mediaId}", (string mediaId, ConversationHandlers handlers, CancellationToken cancellationToken) =>
                handlers.MediaAsync(mediaId, cancellationToken))
            .WithName("GetMedia")
            .WithSummary("Streams an inbound attachment from Meta's media endpoint; nothing is stored.");

        // The page itself holds no data and asks for the API key once; every call it makes is keyed.
        app.MapGet("/console/inbox", (InboxPageHandlers handlers) => handlers.Page())
            .WithTags("Conversations")
            .WithName("InboxConsole")
            .WithSummary("The shared inbox: conversations, threads with delivery ticks, replies, assign and close.");

        return app;
    }
}
