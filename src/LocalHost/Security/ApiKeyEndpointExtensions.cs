namespace Messaging.LocalHost.Security;

public static class ApiKeyEndpointExtensions
{
    /// <summary>LocalHost's stand-in for <c>AuthorizationLevel.Function</c>: the filter, its marker and its OpenAPI answers.</summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<ApiKeyFilter>()
            .WithMetadata(ApiKeyRequirement.Instance)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }
}
