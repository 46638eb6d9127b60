using Messaging.Shared.Backups;
using Messaging.Shared.Compliance;
using Messaging.Shared.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Shared.Tests.Compliance;

public sealed class RecordsOfProcessingTests
{
    [Fact]
    public void The_record_shows_the_retention_periods_configured_now_as_ISO_8601_and_changes_with_the_setting()
    {
        var defaults = Build([]);
        var changed = Build(new() { ["Retention:Messages"] = "P90D", ["Backup:KeyRetention"] = "P3D" });

        Assert.Equal("P180D", Period(defaults, "Retention:Messages"));
        Assert.Equal("P90D", Period(changed, "Retention:Messages"));
        Assert.Equal("P7D", Period(defaults, "Backup:KeyRetention"));
        Assert.Equal("P3D", Period(changed, "Backup:KeyRetention"));
        Assert.Contains("| `Retention:Messages` | `P90D` |", RecordsOfProcessingBuilder.ToMarkdown(changed), StringComparison.Ordinal);
    }

    [Fact]
    public void The_record_shows_the_data_subject_periods_and_the_backup_schedule_configured_now()
    {
        var changed = Build(new() { ["DataSubject:ProofRetention"] = "P1826D", ["DataSubject:ExportRetention"] = "PT20S", ["Backup:Schedule"] = "0 15 4 * * *" });

        Assert.Equal("P1826D", Period(changed, "DataSubject:ProofRetention"));
        Assert.Equal("PT20S", Period(changed, "DataSubject:ExportRetention"));
        Assert.Contains(changed.TechnicalAndOrganisationalMeasures, m => m.Contains("0 15 4 * * *", StringComparison.Ordinal));
    }

    [Fact]
    public void The_controller_comes_from_settings_and_Meta_and_Microsoft_are_listed_as_processors()
    {
        var records = Build(new() { ["Compliance:Controller:Name"] = "Beispiel GmbH", ["Compliance:Controller:DataProtectionOfficer"] = "dpo@example.com" });

        Assert.Equal("Beispiel GmbH", records.Controller.Name);
        Assert.Equal("dpo@example.com", records.Controller.DataProtectionOfficer);
        Assert.Contains(records.Recipients, r => r.Name.StartsWith("Meta Platforms Ireland", StringComparison.Ordinal) && r.Role.StartsWith("processor", StringComparison.Ordinal));
        Assert.Contains(records.Recipients, r => r.Name.StartsWith("Microsoft", StringComparison.Ordinal) && r.Role.StartsWith("processor", StringComparison.Ordinal));
        Assert.Equal(RetentionSettings.All.Count + 2, records.Retention.Count);
    }

    private static string Period(RecordsOfProcessing records, string setting) => records.Retention.Single(r => r.Setting == setting).Period;

    private static RecordsOfProcessing Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection()
            .Configure<ControllerOptions>(configuration.GetSection(ControllerOptions.Section))
            .AddSingleton(TimeProvider.System)
            .AddRetention(configuration)
            .AddBackups(configuration)
            .AddSingleton<RecordsOfProcessingBuilder>()
            .BuildServiceProvider();
        return provider.GetRequiredService<RecordsOfProcessingBuilder>().Build();
    }
}
