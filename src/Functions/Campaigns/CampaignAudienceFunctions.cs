using Messaging.Shared.Campaigns;
using Messaging.Shared.Campaigns.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Campaigns;

/// <summary>The CSV audience upload, as LocalHost's UploadCampaignAudience, onto the shared <see cref="CampaignHandlers"/>.</summary>
public sealed class CampaignAudienceFunctions(CampaignHandlers handlers)
{
    [Function("UploadCampaignAudience")]
    public Task<Results<Ok<CampaignCreated>, NotFound, ValidationProblem, ProblemHttpResult>> UploadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/campaigns/{campaignId}/audience")] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        handlers.UploadAudienceAsync(request, campaignId, cancellationToken);
}
