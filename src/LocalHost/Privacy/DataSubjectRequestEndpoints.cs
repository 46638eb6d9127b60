using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Security;
using Messaging.Shared.Privacy.Requests;

namespace Messaging.LocalHost.Privacy;

/// <summary>Data-subject requests for data-protection staff (the Functions app's DataSubjectRequestFunctions).</summary>
public static class DataSubjectRequestEndpoints
{
    public static IEndpointRouteBuilder MapDataSubjectRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(DataSubjectRequestHandlers.Route).WithTags("Data-subject requests").RequireApiKey();

        group.MapPost("/", (HttpRequest request, DataSubjectRequestHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ReceiveAsync(request, cancellationToken))
            .WithName("ReceiveDataSubjectRequest")
            .WithSummary("Records an erasure or access request (Art. 15/17/20 GDPR) and starts it; due one calendar month after receipt. An Idempotency-Key header makes a retry record nothing new.")
            .WithJsonRequestBody<DataSubjectRequestBody>();

        group.MapGet("/", (HttpRequest request, DataSubjectRequestHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ListAsync(request, cancellationToken))
            .WithName("ListDataSubjectRequests")
            .WithSummary("Requests by status (?status=open: received or in progress), earliest deadline first, each saying whether it is overdue.");

        group.MapGet("/{requestId}", (string requestId, DataSubjectRequestHandlers handlers, CancellationToken cancellationToken) =>
                handlers.GetAsync(requestId, cancellationToken))
            .WithName("GetDataSubjectRequest")
            .WithSummary("A request's status, deadline and report: what was removed per store, what was kept and why. No personal data.");

        group.MapGet("/{requestId}/export", (string requestId, DataSubjectRequestHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ExportAsync(requestId, cancellationToken))
            .WithName("ExportDataSubjectRequest")
            .WithSummary("The export of an access request (Art. 15/20 GDPR): everything held, decrypted, with purposes, legal bases, recipients, retention and source. Deleted after DataSubject:ExportRetention.");

        group.MapPost("/{requestId}/extension", (HttpRequest request, string requestId, DataSubjectRequestHandlers handlers, CancellationToken cancellationToken) =>
                handlers.ExtendAsync(request, requestId, cancellationToken))
            .WithName("ExtendDataSubjectRequest")
            .WithSummary("Moves the deadline by at most two further months, once, with the reason recorded (Art. 12(3) GDPR).")
            .WithJsonRequestBody<DataSubjectRequestExtensionBody>();

        return app;
    }
}
