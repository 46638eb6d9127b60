using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Templates;

/// <summary>
/// A feature that reacts to changes of the business account (campaigns pause on a PAUSED or DISABLED template and
/// on a lower messaging limit). Called after the change is stored, at least once per webhook delivery:
/// implementations must be idempotent.
/// </summary>
public interface ITemplateObserver
{
    Task OnTemplateChangedAsync(TemplateState state, TemplateUpdate update, CancellationToken cancellationToken) => Task.CompletedTask;

    Task OnPhoneNumberQualityChangedAsync(PhoneNumberQualityUpdate update, CancellationToken cancellationToken) => Task.CompletedTask;
}
