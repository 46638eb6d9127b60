using Messaging.Shared.Consent.Api;
using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>
/// The data-subject request API over HTTP, for both hosts, onto <see cref="DataSubjectRequests"/>. Phone numbers travel
/// only in request bodies, never in a URL; answers hold request ids, contact keys and codes only.
/// </summary>
public sealed class DataSubjectRequestHandlers(DataSubjectRequests requests)
{
    public const string Route = "/api/data-subject-requests";

    public async Task<Results<Accepted<DataSubjectRequestAccepted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await JsonRequestBody.ReadAsync<DataSubjectRequestBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        var (accepted, errors) = await requests.ReceiveAsync(body, request.Headers[ConsentApiHandlers.IdempotencyKeyHeader], cancellationToken);
        return accepted is null ? TypedResults.ValidationProblem(errors!) : TypedResults.Accepted($"{Route}/{accepted.RequestId}", accepted);
    }

    public async Task<Results<Ok<DataSubjectRequestView>, NotFound>> GetAsync(string requestId, CancellationToken cancellationToken) =>
        await requests.GetAsync(requestId, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    /// <summary>?status=open (received or in progress), or one status; without it, every request. Earliest deadline first.</summary>
    public async Task<Results<Ok<IReadOnlyList<OpenDataSubjectRequest>>, ValidationProblem>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = request.Query["status"];
        if (status.Count > 1 || (status.Count == 1 && status[0] != DataSubjectRequestKinds.Open && !DataSubjectRequestKinds.Statuses.Contains(status[0])))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = ["One of \"open\", \"received\", \"in_progress\", \"completed\", \"failed\"."],
            });
        }

        return TypedResults.Ok(await requests.ListAsync(status.Count == 1 ? status[0] : null, cancellationToken));
    }

    /// <summary>The Art. 15/20 export of an access request: everything held, decrypted, as application/json.</summary>
    public async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult>> ExportAsync(string requestId, CancellationToken cancellationToken)
    {
        var (json, why) = await requests.ExportOfAsync(requestId, cancellationToken);
        return why switch
        {
            null => TypedResults.Text(json!, "application/json; charset=utf-8"),
            ExportUnavailable.UnknownRequest => TypedResults.NotFound(),
            ExportUnavailable.NoExport => TypedResults.Problem("This request has no export: it is not an access request, or nothing was held.", statusCode: StatusCodes.Status404NotFound),
            _ => TypedResults.Problem("The export has been deleted (DataSubject:ExportRetention ended, or the person was erased since).", statusCode: StatusCodes.Status410Gone),
        };
    }

    public async Task<Results<Ok<DataSubjectRequestView>, NotFound, ValidationProblem, ProblemHttpResult>> ExtendAsync(
        HttpRequest request, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DataSubjectRequestStore.IsRequestId(requestId))
        {
            return TypedResults.NotFound();
        }

        if (await JsonRequestBody.ReadAsync<DataSubjectRequestExtensionBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        var outcome = await requests.ExtendAsync(requestId, body, cancellationToken);
        return outcome switch
        {
            { Request: { } extended } => TypedResults.Ok(extended),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors),
            { Refusal: { } refusal } => TypedResults.Problem(refusal, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NotFound(),
        };
    }
}
