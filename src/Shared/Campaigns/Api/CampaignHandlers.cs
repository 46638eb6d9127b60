using Messaging.Shared.Campaigns.Audience;
using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Campaigns.Api;

/// <summary>The campaign and template API over HTTP, for both hosts, onto <see cref="CampaignOperations"/>.</summary>
public sealed class CampaignHandlers(CampaignOperations operations, AudienceImport audienceImport, MessageTemplateCatalog templates)
{
    public const string Route = "/api/campaigns";

    /// <summary>Optional header of <c>POST /api/campaigns</c>: a retry with the same key and body answers 201 with the same campaign.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public async Task<Results<Created<CampaignCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await JsonRequestBody.ReadAsync<CreateCampaignBody>(request, cancellationToken) is not { } body)
        {
            return JsonRequestBody.Invalid();
        }

        CampaignCreated? created;
        string? field, problem;
        try
        {
            var key = request.Headers[IdempotencyKeyHeader] is { Count: > 0 } values ? values.ToString() : null;
            (created, field, problem) = await operations.CreateAsync(body, cancellationToken, key);
        }
        catch (HttpRequestException)
        {
            return GraphUnavailable();
        }

        if (field == CampaignOperations.IdempotencyKeyField)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The Idempotency-Key was used for another request.");
        }

        return created is null
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field!] = [problem!] }, detail: problem)
            : TypedResults.Created($"{Route}/{created.CampaignId}", created);
    }

    /// <summary>
    /// Replaces a draft's audience with a <c>text/csv</c> upload. 200 with the new counts; 400 listing bad rows by number
    /// (nothing imported) or naming what is wrong with the file or template; 409 once the campaign left draft; 413 when too large.
    /// </summary>
    public async Task<Results<Ok<CampaignCreated>, NotFound, ValidationProblem, ProblemHttpResult>> UploadAudienceAsync(
        HttpRequest request, string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CampaignIds.IsValid(campaignId))
        {
            return InvalidId();
        }

        if (!IsCsv(request.ContentType))
        {
            return TypedResults.Problem(
                "Send the audience as text/csv: a 'phone' column and one column per template parameter.",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type");
        }

        AudienceImportResult result;
        try
        {
            result = await audienceImport.ImportAsync(campaignId, request.Body, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return GraphUnavailable();
        }

        return result switch
        {
            AudienceImportResult.Imported imported => TypedResults.Ok(imported.Counts),
            AudienceImportResult.NotFound => TypedResults.NotFound(),
            AudienceImportResult.NotDraft notDraft => TypedResults.Problem(
                $"Cannot replace the audience of a campaign that is {notDraft.Status}; only a draft's audience can change.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The campaign's status does not allow this."),
            AudienceImportResult.Invalid invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Problem] }, detail: invalid.Problem),
            AudienceImportResult.TooLarge tooLarge => TypedResults.Problem(tooLarge.Problem + " Nothing was imported.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The audience is too large."),
            AudienceImportResult.BadRows bad => TypedResults.Problem(
                $"{bad.ErrorCount} row(s) cannot be imported; nothing was imported. Fix them and upload the whole file again.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "The CSV has rows that cannot be imported.",
                extensions: new Dictionary<string, object?> { ["errors"] = bad.Errors, ["errorCount"] = bad.ErrorCount }),
            _ => throw new InvalidOperationException(result.GetType().Name),
        };
    }

    private static bool IsCsv(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase);

    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> StartAsync(string campaignId, CancellationToken cancellationToken) =>
        CommandAsync(campaignId, "start", cancellationToken);

    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> PauseAsync(string campaignId, CancellationToken cancellationToken) =>
        CommandAsync(campaignId, "pause", cancellationToken);

    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> ResumeAsync(string campaignId, CancellationToken cancellationToken) =>
        CommandAsync(campaignId, "resume", cancellationToken);

    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> CancelAsync(string campaignId, CancellationToken cancellationToken) =>
        CommandAsync(campaignId, "cancel", cancellationToken);

    public async Task<Results<Ok<CampaignResponse>, NotFound, ValidationProblem>> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        if (!CampaignIds.IsValid(campaignId))
        {
            return InvalidId();
        }

        return await operations.GetAsync(campaignId, cancellationToken) is { } campaign ? TypedResults.Ok(campaign) : TypedResults.NotFound();
    }

    public async Task<Ok<IReadOnlyList<CampaignResponse>>> ListAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(await operations.ListAsync(cancellationToken));

    public async Task<Results<Ok<IReadOnlyList<TemplateResponse>>, ProblemHttpResult>> ListTemplatesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok<IReadOnlyList<TemplateResponse>>([.. (await templates.ListAsync(cancellationToken))
                .Select(t => new TemplateResponse(t.Name, t.Language, t.Category, t.Status, t.Components, t.BodyParameterCount, t.Id, t.Quality))]);
        }
        catch (HttpRequestException)
        {
            return GraphUnavailable();
        }
    }

    private static ProblemHttpResult GraphUnavailable() =>
        TypedResults.Problem("The WhatsApp Business Account's templates could not be read from Graph; try again shortly.", statusCode: StatusCodes.Status502BadGateway);

    private async Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> CommandAsync(
        string campaignId, string command, CancellationToken cancellationToken)
    {
        if (!CampaignIds.IsValid(campaignId))
        {
            return InvalidId();
        }

        var (found, conflict) = await operations.CommandAsync(campaignId, command, cancellationToken);
        if (!found)
        {
            return TypedResults.NotFound();
        }

        return conflict is null
            ? TypedResults.Accepted($"{Route}/{campaignId}", new CampaignCommandAccepted(campaignId, command))
            : TypedResults.Problem(conflict, statusCode: StatusCodes.Status409Conflict, title: "The campaign's status does not allow this.");
    }

    private static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["campaignId"] = ["A campaign id is 1-40 of [a-z0-9-]."] });
}
