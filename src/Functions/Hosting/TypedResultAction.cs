using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Messaging.Functions.Hosting;

/// <summary>
/// Lets a function return the same <see cref="IResult"/> (TypedResults) as LocalHost's minimal APIs: the worker's
/// ASP.NET Core integration executes <see cref="IActionResult"/> only, and this makes status, headers and JSON
/// (problem details included) byte-for-byte the LocalHost ones.
/// </summary>
public sealed class TypedResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return result.ExecuteAsync(context.HttpContext);
    }
}
