using Messaging.LocalHost.Security;
using Messaging.Shared.Compliance;

namespace Messaging.LocalHost.Compliance;

/// <summary>For the company's DPO: the records of processing from the running configuration (the Functions app's ComplianceFunctions).</summary>
public static class ComplianceEndpoints
{
    public static IEndpointRouteBuilder MapComplianceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/compliance").WithTags("Compliance").RequireApiKey();
        group.MapGet("/records-of-processing", (HttpRequest request, ComplianceHandlers handlers) => handlers.GetRecords(request))
            .WithName("GetRecordsOfProcessing")
            .WithSummary("Art. 30 records of processing as configured (JSON, or ?format=markdown).");
        return app;
    }
}
