using Messaging.Shared.Privacy.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Privacy;

/// <summary>
/// Data-subject requests, as LocalHost's DataSubjectRequestEndpoints, onto the shared <see cref="DataSubjectRequestHandlers"/>.
/// AuthorizationLevel.Function: the platform enforces x-functions-key before the function runs.
/// </summary>
public sealed class DataSubjectRequestFunctions(DataSubjectRequestHandlers handlers)
{
    [Function("ReceiveDataSubjectRequest")]
    public Task<Results<Accepted<DataSubjectRequestAccepted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/data-subject-requests")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ReceiveAsync(request, cancellationToken);

    [Function("ListDataSubjectRequests")]
    public Task<Results<Ok<IReadOnlyList<OpenDataSubjectRequest>>, ValidationProblem>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/data-subject-requests")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ListAsync(request, cancellationToken);

    [Function("GetDataSubjectRequest")]
    public Task<Results<Ok<DataSubjectRequestView>, NotFound>> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/data-subject-requests/{requestId}")] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        handlers.GetAsync(requestId, cancellationToken);

    [Function("ExportDataSubjectRequest")]
    public Task<Results<ContentHttpResult, NotFound, ProblemHttpResult>> ExportAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/data-subject-requests/{requestId}/export")] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        handlers.ExportAsync(requestId, cancellationToken);

    [Function("ExtendDataSubjectRequest")]
    public Task<Results<Ok<DataSubjectRequestView>, NotFound, ValidationProblem, ProblemHttpResult>> ExtendAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/data-subject-requests/{requestId}/extension")] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        handlers.ExtendAsync(request, requestId, cancellationToken);
}
