using Messaging.Shared.Campaigns.Templates;
using Messaging.Shared.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Campaigns.Api;

/// <summary>The campaign and template API over HTTP, for both hosts, onto <see cref="CampaignOperations"/>.</summary>
public sealed class CampaignHandlers(CampaignOperations operations, MessageTemplateCatalog templates)
{
    public const string Route = "/api/campaigns";

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
            (created, field, problem) = await operations.CreateAsync(body, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return GraphUnavailable();
        }

        return created is null
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field!] = [problem!] }, detail: problem)
            : TypedResults.Created($"{Route}/{created.CampaignId}", created);
    }

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
                .Select(t => new TemplateResponse(t.Name, t.Language, t.Category, t.Status, t.Components, t.BodyParameterCount))]);
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
