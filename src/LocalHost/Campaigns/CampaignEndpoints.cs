using Messaging.LocalHost.Hosting;
using Messaging.LocalHost.Security;
using Messaging.Shared.Campaigns.Api;

namespace Messaging.LocalHost.Campaigns;

/// <summary>Template campaigns and the templates they use, for marketing tools (the Functions app's CampaignApiFunctions).</summary>
public static class CampaignEndpoints
{
    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/templates").WithTags("Campaigns").RequireApiKey()
            .MapGet("/", (CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.ListTemplatesAsync(cancellationToken))
            .WithName("ListTemplates")
            .WithSummary("The business account's WhatsApp templates with category, status, components and the number of body parameters.");

        var group = app.MapGroup(CampaignHandlers.Route).WithTags("Campaigns").RequireApiKey();

        group.MapPost("/", (HttpRequest request, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.CreateAsync(request, cancellationToken))
            .WithName("CreateCampaign")
            .WithSummary("Creates a draft campaign from an approved template and an audience; answers with who is excluded and why.")
            .WithDescription("With an Idempotency-Key header, a retried create (same key, same body) answers 201 with the same campaign; the same key with another body is 422.")
            .WithJsonRequestBody<CreateCampaignBody>();

        group.MapPost("/{campaignId}/audience", (string campaignId, HttpRequest request, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.UploadAudienceAsync(request, campaignId, cancellationToken))
            .WithName("UploadCampaignAudience")
            .WithSummary("Replaces a draft's audience with a CSV (a phone column, one column per template parameter); bad rows are listed by number and nothing is imported.")
            // Not .Accepts("text/csv"): routing would answer other content types with a bare 415 before the handler's problem details.
            .WithDescription("Body: Content-Type text/csv. 200 with the new counts; 400 with errors [{row, reason}] (nothing imported) or naming the problem; 409 once started; 413 too large; 415 not CSV.");

        group.MapGet("/", (CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.ListAsync(cancellationToken))
            .WithName("ListCampaigns")
            .WithSummary("All campaigns with status and progress, newest first.");

        group.MapGet("/{campaignId}", (string campaignId, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.GetAsync(campaignId, cancellationToken))
            .WithName("GetCampaign")
            .WithSummary("A campaign's status, exclusions, progress (sent, skipped by reason, failed by code), rate and ETA.");

        group.MapPost("/{campaignId}/start", (string campaignId, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.StartAsync(campaignId, cancellationToken))
            .WithName("StartCampaign")
            .WithSummary("Starts a draft campaign; 409 with the reason when its status does not allow it.");

        group.MapPost("/{campaignId}/pause", (string campaignId, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.PauseAsync(campaignId, cancellationToken))
            .WithName("PauseCampaign")
            .WithSummary("Pauses a scheduled or running campaign after the page in flight.");

        group.MapPost("/{campaignId}/resume", (string campaignId, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.ResumeAsync(campaignId, cancellationToken))
            .WithName("ResumeCampaign")
            .WithSummary("Resumes a paused campaign where it stopped.");

        group.MapPost("/{campaignId}/cancel", (string campaignId, CampaignHandlers handlers, CancellationToken cancellationToken) => handlers.CancelAsync(campaignId, cancellationToken))
            .WithName("CancelCampaign")
            .WithSummary("Cancels a campaign for good; what was sent stays sent.");

        return app;
    }
}
