namespace Messaging.Shared.Workflows;

/// <summary>Every workflow the app runs, by kind; hosts find a definition for a stored row or queued request here.</summary>
public sealed class WorkflowCatalog
{
    private readonly Dictionary<string, IWorkflowDefinition> _byKind;

    public WorkflowCatalog(IEnumerable<IWorkflowDefinition> definitions)
    {
        _byKind = new(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!_byKind.TryAdd(definition.Kind, definition))
            {
                throw new InvalidOperationException($"Two workflows share the kind '{definition.Kind}'.");
            }
        }
    }

    public IReadOnlyCollection<IWorkflowDefinition> All => _byKind.Values;

    public IWorkflowDefinition Get(string kind) =>
        _byKind.TryGetValue(kind, out var definition) ? definition : throw new InvalidOperationException($"No workflow of kind '{kind}' is registered.");
}
