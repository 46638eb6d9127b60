namespace Messaging.Shared.Outbound;

/// <summary>The <c>language</c> object of a template message, e.g. <c>{"code":"de"}</c>.</summary>
public sealed record TemplateLanguage(string Code);
