using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Messaging.Shared.Http;

/// <summary>
/// Reads a JSON request body in the handler rather than through a host's model binding, so a body that is missing,
/// not JSON or of the wrong shape gets the same problem details from LocalHost and from the Functions app.
/// </summary>
public static class JsonRequestBody
{
    /// <returns>The body, or null when it is missing, not JSON, or JSON null.</returns>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the content type is not JSON.
            return null;
        }
    }

    public static ProblemHttpResult Invalid() =>
        TypedResults.Problem("The request body is not valid JSON for this operation (Content-Type: application/json).", statusCode: StatusCodes.Status400BadRequest);
}
