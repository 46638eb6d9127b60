using Microsoft.OpenApi;

namespace Messaging.LocalHost.Hosting;

public static class OpenApiRequestBodyExtensions
{
    /// <summary>
    /// Describes the JSON body a shared handler reads itself. Not <c>Accepts&lt;T&gt;()</c>: that also makes routing
    /// refuse other content types with a bare 415 before the handler runs, where the Functions app (no such routing)
    /// answers with the handler's problem details; the two hosts must answer alike.
    /// </summary>
    public static RouteHandlerBuilder WithJsonRequestBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), cancellationToken: cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
