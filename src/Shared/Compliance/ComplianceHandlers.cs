using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Compliance;

/// <summary>The records of processing over HTTP, for both hosts: JSON, or Markdown with <c>?format=markdown</c>.</summary>
public sealed class ComplianceHandlers(RecordsOfProcessingBuilder records)
{
    public const string Route = "/api/compliance/records-of-processing";

    public Results<Ok<RecordsOfProcessing>, ContentHttpResult, ValidationProblem> GetRecords(HttpRequest request)
    {
        var format = request.Query["format"].ToString();
        return format switch
        {
            "" or "json" => TypedResults.Ok(records.Build()),
            "markdown" => TypedResults.Text(RecordsOfProcessingBuilder.ToMarkdown(records.Build()), "text/markdown; charset=utf-8"),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format is json or markdown."] }),
        };
    }
}
