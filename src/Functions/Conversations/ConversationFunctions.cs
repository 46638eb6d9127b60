using Messaging.Shared.Conversations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Conversations;

/// <summary>The agents' conversation API, as LocalHost's ConversationEndpoints, onto the shared <see cref="ConversationHandlers"/>.</summary>
public sealed class ConversationFunctions(ConversationHandlers handlers)
{
    [Function("ListConversations")]
    public Task<Results<Ok<ConversationPage>, ValidationProblem>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/conversations")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ListAsync(request, cancellationToken);

    [Function("UpdateConversation")]
    public Task<Results<Ok<Conversation>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/conversations/{contactKey}")] HttpRequest request, string contactKey, CancellationToken cancellationToken) =>
        handlers.UpdateAsync(request, contactKey, cancellationToken);

    [Function("MarkConversationRead")]
    public Task<Results<NoContent, NotFound, ValidationProblem>> MarkReadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/conversations/{contactKey}/read")] HttpRequest request, string contactKey, CancellationToken cancellationToken) =>
        handlers.MarkReadAsync(contactKey, cancellationToken);

    [Function("ListContactMessages")]
    public Task<Results<Ok<MessagePage>, NotFound, ValidationProblem>> ListMessagesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/contacts/{contactKey}/messages")] HttpRequest request, string contactKey, CancellationToken cancellationToken) =>
        handlers.ListMessagesAsync(request, contactKey, cancellationToken);

    [Function("SendContactMessage")]
    public Task<Results<Accepted<SendAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> SendAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/contacts/{contactKey}/messages")] HttpRequest request, string contactKey, CancellationToken cancellationToken) =>
        handlers.SendAsync(request, contactKey, cancellationToken);

    [Function("GetMedia")]
    public Task<Results<FileStreamHttpResult, NotFound, ValidationProblem>> MediaAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/media/{mediaId}")] HttpRequest request, string mediaId, CancellationToken cancellationToken) =>
        handlers.MediaAsync(mediaId, cancellationToken);
}
