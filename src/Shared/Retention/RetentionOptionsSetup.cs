using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Retention;

/// <summary>
/// Reads the retention settings by hand rather than through the binder, so a value that cannot be read does not throw
/// deep inside the first request but is reported at start-up by <see cref="Validate"/>, naming the setting.
/// </summary>
public sealed class RetentionOptionsSetup(IConfiguration configuration) : IConfigureOptions<RetentionOptions>, IValidateOptions<RetentionOptions>
{
    public void Configure(RetentionOptions options)
    {
        foreach (var setting in RetentionSettings.All)
        {
            var text = configuration[setting.Key];
            if (text is null)
            {
                continue;
            }

            if (Iso8601Duration.TryParse(text, out var value))
            {
                setting.Write(options, value);
            }
            else
            {
                options.Unparsable.Add(setting.Key);
            }
        }

        if (configuration[RetentionSettings.Schedule] is { Length: > 0 } schedule)
        {
            options.Schedule = schedule;
        }
    }

    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = options.Unparsable
            .Select(key => $"{key} is not a duration: write an ISO 8601 duration such as P30D (or a TimeSpan such as 30.00:00:00).")
            .ToList();
        foreach (var setting in RetentionSettings.All.Where(s => !options.Unparsable.Contains(s.Key)))
        {
            if (setting.Read(options) < TimeSpan.Zero)
            {
                errors.Add($"{setting.Key} is negative ({configuration[setting.Key]}); a retention period must be zero or more.");
            }
        }

        var inboxMinimum = RetentionOptions.MetaRetryWindow + RetentionOptions.InboxMargin;
        if (!options.Unparsable.Contains("Retention:Inbox") && options.Inbox >= TimeSpan.Zero && options.Inbox < inboxMinimum)
        {
            errors.Add(
                $"Retention:Inbox is {Iso8601Duration.Format(options.Inbox)}, inside Meta's {Iso8601Duration.Format(RetentionOptions.MetaRetryWindow)} " +
                $"retry window plus margin: a redelivered webhook would be applied twice. Use at least {Iso8601Duration.Format(inboxMinimum)}.");
        }

        if (options.WebhookBodies < options.ParkedWebhooks && options.WebhookBodies >= TimeSpan.Zero)
        {
            errors.Add("Retention:WebhookBodies is shorter than Retention:ParkedWebhooks: a parked webhook could not be replayed from its body.");
        }

        if (RetentionSchedule.TryParse(options.Schedule) is null)
        {
            errors.Add($"{RetentionSettings.Schedule} \"{options.Schedule}\" is not a daily NCRONTAB schedule such as \"0 30 2 * * *\".");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
