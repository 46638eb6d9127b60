namespace Messaging.Shared.Outbound;

/// <summary>The <c>template</c> object of a template message.</summary>
public sealed record TemplateContent(string Name, TemplateLanguage Language, IReadOnlyList<TemplateComponent> Components);
