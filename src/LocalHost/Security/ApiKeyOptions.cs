namespace Messaging.LocalHost.Security;

/// <summary>The management API key (section <c>Api</c>); Azure uses Function keys for the same header.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Api";

    public string Key { get; set; } = "";
}
