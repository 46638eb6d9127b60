using Messaging.Shared.Compliance;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Messaging.Functions.Compliance;

/// <summary>The records of processing, as LocalHost's ComplianceEndpoints, onto the shared <see cref="ComplianceHandlers"/>.</summary>
public sealed class ComplianceFunctions(ComplianceHandlers handlers)
{
    [Function("GetRecordsOfProcessing")]
    public Results<Ok<RecordsOfProcessing>, ContentHttpResult, ValidationProblem> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/compliance/records-of-processing")] HttpRequest request) =>
        handlers.GetRecords(request);
}
