using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Messaging.Functions.Hosting;

/// <summary>Reads a JSON request body with the web defaults minimal APIs use; null when it is missing or not JSON (LocalHost answers 400 then).</summary>
public static class JsonBody
{
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
            return null;
        }
    }

    public static IResult Invalid() => TypedResults.Problem("The request body is not valid JSON for this operation.", statusCode: StatusCodes.Status400BadRequest);
}
