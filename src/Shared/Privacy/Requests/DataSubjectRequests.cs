using Messaging.Shared.Consent.Api;
using Messaging.Shared.Consent.Ledger;
using Messaging.Shared.Contacts;
using Messaging.Shared.Privacy.Audit;
using Messaging.Shared.Privacy.Erasure;
using Messaging.Shared.Retention;
using Messaging.Shared.Security;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Privacy.Requests;

/// <summary>
/// Data-subject requests (Art. 12, 15, 17, 20 GDPR) on both hosts: receive, track against the Art. 12(3) deadline,
/// extend once, close. An erasure request starts the erasure workflow and is closed by it (<see cref="DataSubjectRequestCloser"/>);
/// a person we hold nothing about gets a request completed at once with "nothing held", the answer they are owed.
/// The phone number a request arrives with is used to find the contact and never stored.
/// </summary>
public sealed class DataSubjectRequests(
    DataSubjectRequestStore store,
    IContactDirectory contacts,
    ConsentLedger ledger,
    ErasureService erasure,
    DataSubjectExports exports,
    AuditLog audit,
    KeyedHasher hasher,
    IOptions<RetentionOptions> retention,
    TimeProvider time)
{
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxReasonLength = 2000;

    /// <summary>A receipt date a little ahead of our clock is the sender's clock; further ahead is a mistake.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public async Task<(DataSubjectRequestAccepted? Accepted, IDictionary<string, string[]>? Errors)> ReceiveAsync(
        DataSubjectRequestBody body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var now = time.GetUtcNow();
        var errors = Validate(body, idempotencyKey, now, out var phone);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var requestId = idempotencyKey is null ? Guid.NewGuid().ToString("N") : hasher.Hash("data-subject-request", idempotencyKey);
        var receivedAt = WholeSeconds(body.ReceivedAt ?? now);
        var received = new DataSubjectRequest(
            requestId, body.Kind!, body.ContactKey, body.Channel!, DataSubjectRequestKinds.Received, receivedAt,
            DataSubjectRequest.DueDate(receivedAt), null, null, null, null);
        if (await store.TryAddAsync(received, cancellationToken))
        {
            await audit.AppendAsync($"dsr:{requestId}:received", body.ContactKey, requestId, $"dsr.received.{body.Kind}", "channel=" + body.Channel, cancellationToken);
        }

        // A retry with the same Idempotency-Key answers with the first request; one that a crash left "received" goes on from there.
        var (stored, etag) = (await store.GetAsync(requestId, cancellationToken))!.Value;
        if (stored.Status == DataSubjectRequestKinds.Received)
        {
            stored = await ProcessAsync(stored, etag, phone, cancellationToken);
        }

        return (new DataSubjectRequestAccepted(stored.RequestId, stored.Kind, stored.ContactKey, stored.Status, stored.ReceivedAt, stored.DueBy), null);
    }

    public async Task<DataSubjectRequestView?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        DataSubjectRequestStore.IsRequestId(requestId) && await store.GetAsync(requestId, cancellationToken) is { } found ? View(found.Request) : null;

    /// <summary>The open requests (received or in progress), earliest deadline first, each saying whether it is overdue.</summary>
    public async Task<IReadOnlyList<OpenDataSubjectRequest>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var requests = status == DataSubjectRequestKinds.Open
            ? [
                .. await store.ListAsync(DataSubjectRequestKinds.Received, cancellationToken),
                .. await store.ListAsync(DataSubjectRequestKinds.InProgress, cancellationToken),
                .. await store.ListAsync(DataSubjectRequestKinds.Failed, cancellationToken),
            ]
            : await store.ListAsync(status, cancellationToken);
        return requests
            .OrderBy(r => r.Deadline).ThenBy(r => r.RequestId, StringComparer.Ordinal)
            .Select(r => new OpenDataSubjectRequest(r.RequestId, r.Kind, r.Status, r.ReceivedAt, r.Deadline, r.IsOverdue(now)))
            .ToList();
    }

    /// <summary>
    /// Art. 12(3): the deadline moves by at most two further months, once, with the reason recorded, and only while the
    /// first month runs (the person must be told within it).
    /// </summary>
    public async Task<ExtensionOutcome> ExtendAsync(string requestId, DataSubjectRequestExtensionBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = ["Required: Art. 12(3) GDPR asks for the reasons of the delay."];
        }
        else if (body.Reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"At most {MaxReasonLength} characters."];
        }

        if (body.Months is { } months && months is < 1 or > 2)
        {
            errors["months"] = ["1 or 2: the deadline may move by at most two further months."];
        }

        if (errors.Count > 0)
        {
            return ExtensionOutcome.Invalid(errors);
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await store.GetAsync(requestId, cancellationToken) is not var (request, etag))
            {
                return ExtensionOutcome.NotFound;
            }

            if (request.ExtendedTo is not null)
            {
                return ExtensionOutcome.Conflict("The deadline of this request has already been extended; Art. 12(3) allows it once.");
            }

            if (!DataSubjectRequestKinds.IsOpen(request.Status))
            {
                return ExtensionOutcome.Conflict("The request is no longer open.");
            }

            if (time.GetUtcNow() > request.DueBy)
            {
                return ExtensionOutcome.Conflict("The first month has passed: an extension must be declared within it (Art. 12(3) GDPR).");
            }

            var extended = request with { ExtendedTo = request.DueBy.AddMonths(body.Months ?? 2), ExtensionReason = body.Reason!.Trim() };
            if (await store.TryReplaceAsync(extended, etag, cancellationToken))
            {
                await audit.AppendAsync($"dsr:{requestId}:extended", request.ContactKey, requestId, "dsr.extended", $"months={body.Months ?? 2}", cancellationToken);
                return ExtensionOutcome.Extended(View(extended));
            }
        }

        return ExtensionOutcome.Conflict("The request changed while it was being extended; try again.");
    }

    /// <summary>Closes an erasure request when its workflow completed (idempotent; an erasure without a request, e.g. from retention, has no row).</summary>
    public async Task CompleteErasureAsync(string requestId, ErasureReport report, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await store.GetAsync(requestId, cancellationToken) is not var (request, etag) || request.Status == DataSubjectRequestKinds.Completed)
            {
                return;
            }

            var completedAt = WholeSeconds(time.GetUtcNow());
            var closed = request with
            {
                Status = DataSubjectRequestKinds.Completed,
                CompletedAt = completedAt,
                Report = new DataSubjectRequestReport(
                    DataSubjectRequestReport.Erased, report.RowsRemoved, report.WorkflowInstances, report.KeyShredded, report.Notification, KeptAfterErasure()),
            };
            if (await store.TryReplaceAsync(closed, etag, cancellationToken))
            {
                await audit.AppendAsync($"dsr:{requestId}:completed", request.ContactKey, requestId, "dsr.completed.erasure", "", cancellationToken);
                return;
            }
        }

        throw new InvalidOperationException("The data-subject request kept changing while it was being closed.");
    }

    /// <summary>
    /// Marks an erasure request failed when its workflow gave up on a step (idempotent). The report says which step and
    /// why, in codes, and what was done before it; the request stays open (its deadline still runs).
    /// </summary>
    public async Task FailErasureAsync(string requestId, string step, string reason, ErasureReport report, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await store.GetAsync(requestId, cancellationToken) is not var (request, etag)
                || request.Status is DataSubjectRequestKinds.Completed or DataSubjectRequestKinds.Failed)
            {
                return;
            }

            var failed = request with
            {
                Status = DataSubjectRequestKinds.Failed,
                Report = new DataSubjectRequestReport(
                    DataSubjectRequestReport.Failed, report.RowsRemoved, report.WorkflowInstances, report.KeyShredded, report.Notification, [], Failure: $"{step}: {reason}"),
            };
            if (await store.TryReplaceAsync(failed, etag, cancellationToken))
            {
                await audit.AppendAsync($"dsr:{requestId}:failed", request.ContactKey, requestId, "dsr.failed.erasure", "step=" + step, cancellationToken);
                return;
            }
        }

        throw new InvalidOperationException("The data-subject request kept changing while it was being marked failed.");
    }

    /// <summary>What erasure keeps, why, and for how long: the report says so (Art. 17(3) GDPR).</summary>
    public IReadOnlyList<KeptData> KeptAfterErasure() =>
    [
        new("suppression entry: keyed hashes of the identifiers, request id and time, no plaintext",
            "so that a later import cannot message the person again without new consent",
            "Art. 17(3)(e), Art. 21(3) GDPR; legitimate interest, DSK Orientierungshilfe Direktwerbung (Werbesperrdatei)",
            "indefinite"),
        new("consent ledger events under the contact key (timestamps, purposes, wording versions; no identifiers)",
            "proof of consent and of its withdrawal against claims (Art. 7(1) GDPR, BGH I ZR 164/09)",
            "Art. 17(3)(e) GDPR; limitation period § 195 BGB",
            Iso8601Duration.Format(retention.Value.ProofRetention)),
        new("audit entries: contact key, request id, action and counts, hash-chained",
            "to demonstrate that the request was answered and how",
            "Art. 5(2), Art. 12(3) GDPR (accountability)",
            "indefinite"),
        KeptRequestRecord(),
    ];

    private static KeptData KeptRequestRecord() =>
        new("this request: kind, channel, dates and this report, under the contact key",
            "to demonstrate that the request was answered in time",
            "Art. 5(2), Art. 12(3) GDPR (accountability)",
            "indefinite");

    private async Task<DataSubjectRequest> ProcessAsync(DataSubjectRequest request, Azure.ETag etag, string? phone, CancellationToken cancellationToken)
    {
        DataSubjectRequest next;
        if (request.Kind == DataSubjectRequestKinds.Erasure)
        {
            var contactKey = await erasure.StartErasureAsync(request.ContactKey, phone, request.Channel, request.RequestId, null, cancellationToken);
            next = contactKey is null ? NothingHeld(request) : request with { ContactKey = contactKey, Status = DataSubjectRequestKinds.InProgress };
        }
        else
        {
            var contactKey = request.ContactKey ?? (phone is null ? null : await contacts.FindByPhoneAsync(phone, cancellationToken));
            next = contactKey is not null && await HoldsAnythingAsync(contactKey, cancellationToken)
                ? await ExportAsync(request with { ContactKey = contactKey }, contactKey, cancellationToken)
                : NothingHeld(request);
        }

        if (await store.TryReplaceAsync(next, etag, cancellationToken))
        {
            if (next.Status == DataSubjectRequestKinds.Completed)
            {
                await audit.AppendAsync($"dsr:{request.RequestId}:completed", null, request.RequestId, $"dsr.completed.{request.Kind}", "result=nothing-held", cancellationToken);
            }

            return next;
        }

        // Someone else moved it on (the erasure finished first, or a concurrent retry): theirs stands.
        return (await store.GetAsync(request.RequestId, cancellationToken))!.Value.Request;
    }

    /// <summary>The export is built at once (reads only); the request is answered when it is stored.</summary>
    private async Task<DataSubjectRequest> ExportAsync(DataSubjectRequest request, string contactKey, CancellationToken cancellationToken)
    {
        var availableUntil = await exports.CreateAsync(request.RequestId, contactKey, cancellationToken);
        return request with
        {
            Status = DataSubjectRequestKinds.Completed,
            CompletedAt = WholeSeconds(time.GetUtcNow()),
            Report = new DataSubjectRequestReport(DataSubjectRequestReport.Exported, [], 0, false, null, [KeptRequestRecord()], WholeSeconds(availableUntil)),
        };
    }

    /// <summary>The export of a completed access request, as JSON; the outcome says why there is none.</summary>
    public async Task<(string? Json, ExportUnavailable? Why)> ExportOfAsync(string requestId, CancellationToken cancellationToken)
    {
        if (!DataSubjectRequestStore.IsRequestId(requestId) || await store.GetAsync(requestId, cancellationToken) is not var (request, _))
        {
            return (null, ExportUnavailable.UnknownRequest);
        }

        if (request.Kind != DataSubjectRequestKinds.Access || request.Report?.Result != DataSubjectRequestReport.Exported || request.ContactKey is null)
        {
            return (null, ExportUnavailable.NoExport);
        }

        var json = await exports.ReadAsync(requestId, request.ContactKey, cancellationToken);
        return json is null ? (null, ExportUnavailable.Deleted) : (json, null);
    }

    private DataSubjectRequest NothingHeld(DataSubjectRequest request) => request with
    {
        ContactKey = null,
        Status = DataSubjectRequestKinds.Completed,
        CompletedAt = WholeSeconds(time.GetUtcNow()),
        Report = new DataSubjectRequestReport(DataSubjectRequestReport.NothingHeld, [], 0, false, null, [KeptRequestRecord() with { Data = "this request: kind, channel, dates and this report" }]),
    };

    private async Task<bool> HoldsAnythingAsync(string contactKey, CancellationToken cancellationToken) =>
        await contacts.GetAddressAsync(contactKey, cancellationToken) is not null
        || (await ledger.GetRecordsAsync(contactKey, cancellationToken)).Count > 0;

    private static Dictionary<string, string[]> Validate(DataSubjectRequestBody body, string? idempotencyKey, DateTimeOffset now, out string? phone)
    {
        var errors = new Dictionary<string, string[]>();
        phone = null;
        if (!DataSubjectRequestKinds.Kinds.Contains(body.Kind))
        {
            errors["kind"] = ["Must be \"erasure\" or \"access\"."];
        }

        if (!DataSubjectRequestKinds.Channels.Contains(body.Channel))
        {
            errors["channel"] = ["Must be one of \"whatsapp\", \"email\", \"web\", \"phone\", \"letter\"."];
        }

        if ((body.Phone is null) == (body.ContactKey is null))
        {
            errors["phone"] = ["Exactly one of phone and contactKey is required."];
        }
        else if (body.Phone is not null && (!body.Phone.TrimStart().StartsWith('+') && !body.Phone.TrimStart().StartsWith("00", StringComparison.Ordinal) || (phone = E164.TryNormalize(body.Phone)) is null))
        {
            errors["phone"] = ["Must be an international number in E.164 form with + or 00, e.g. +4915112345678."];
        }
        else if (body.ContactKey is not null && !ConsentManagement.IsContactKey(body.ContactKey))
        {
            errors["contactKey"] = ["A contact key is 32 lowercase hex digits."];
        }

        if (body.ReceivedAt is { } receivedAt && receivedAt > now + ClockSkew)
        {
            errors["receivedAt"] = ["Must not lie in the future."];
        }

        if (idempotencyKey is { Length: > MaxIdempotencyKeyLength })
        {
            errors["Idempotency-Key"] = [$"At most {MaxIdempotencyKeyLength} characters."];
        }

        return errors;
    }

    private static DataSubjectRequestView View(DataSubjectRequest r) =>
        new(r.RequestId, r.Kind, r.Status, r.ReceivedAt, r.DueBy, r.ExtendedTo, r.ExtensionReason, r.CompletedAt, r.Report);

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
