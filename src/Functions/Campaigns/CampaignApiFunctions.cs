using Messaging.Shared.Campaigns.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Campaigns;

/// <summary>The campaign and template API, as LocalHost's CampaignEndpoints, onto the shared <see cref="CampaignHandlers"/>.</summary>
public sealed class CampaignApiFunctions(CampaignHandlers handlers)
{
    private const string Route = "api/campaigns";

    [Function("ListTemplates")]
    public Task<Results<Ok<IReadOnlyList<TemplateResponse>>, ProblemHttpResult>> ListTemplatesAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/templates")] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ListTemplatesAsync(cancellationToken);

    [Function("CreateCampaign")]
    public Task<Results<Created<CampaignCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = Route)] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.CreateAsync(request, cancellationToken);

    [Function("ListCampaigns")]
    public Task<Ok<IReadOnlyList<CampaignResponse>>> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequest request, CancellationToken cancellationToken) =>
        handlers.ListAsync(cancellationToken);

    [Function("GetCampaign")]
    public Task<Results<Ok<CampaignResponse>, NotFound, ValidationProblem>> GetAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = Route + "/{campaignId}")] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        handlers.GetAsync(campaignId, cancellationToken);

    [Function("StartCampaign")]
    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> StartAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = Route + "/{campaignId}/start")] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        handlers.StartAsync(campaignId, cancellationToken);

    [Function("PauseCampaign")]
    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> PauseAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = Route + "/{campaignId}/pause")] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        handlers.PauseAsync(campaignId, cancellationToken);

    [Function("ResumeCampaign")]
    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> ResumeAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = Route + "/{campaignId}/resume")] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        handlers.ResumeAsync(campaignId, cancellationToken);

    [Function("CancelCampaign")]
    public Task<Results<Accepted<CampaignCommandAccepted>, NotFound, ProblemHttpResult, ValidationProblem>> CancelAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = Route + "/{campaignId}/cancel")] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        handlers.CancelAsync(campaignId, cancellationToken);
}
