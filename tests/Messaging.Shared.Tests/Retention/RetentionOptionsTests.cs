using Messaging.Shared.Privacy;
using Messaging.Shared.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Shared.Tests.Retention;

public sealed class RetentionOptionsTests
{
    [Theory]
    [InlineData("Retention:Inbox", "P3D", "Retention:Inbox is P3D, inside Meta's P7D retry window")]
    [InlineData("Retention:Inbox", "P7D", "Retention:Inbox is P7D")]
    [InlineData("Retention:Messages", "half a year", "Retention:Messages is not a duration")]
    [InlineData("Retention:Outbox", "-P1D", "Retention:Outbox is negative")]
    [InlineData("DataSubject:ProofRetention", "-1.00:00:00", "DataSubject:ProofRetention is negative")]
    [InlineData("Retention:Schedule", "0 */5 * * * *", "Retention:Schedule")]
    public void A_setting_that_would_break_a_guarantee_stops_start_up_with_a_message_naming_it(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_hold_every_documented_period_and_settings_accept_iso_8601_and_timespan_text()
    {
        var defaults = Resolve([]);
        Assert.Equal(TimeSpan.FromDays(14), defaults.Inbox);
        Assert.Equal(TimeSpan.FromDays(730), defaults.InactiveContacts);

        var set = Resolve(new() { ["Retention:Messages"] = "P90D", ["Retention:Inbox"] = "8.00:00:00", ["DataSubject:ExportRetention"] = "PT20S" });
        Assert.Equal(TimeSpan.FromDays(90), set.Messages);
        Assert.Equal(TimeSpan.FromDays(8), set.Inbox);
        Assert.Equal(TimeSpan.FromSeconds(20), set.ExportRetention);
    }

    [Fact]
    public void The_data_subject_retentions_have_one_source_that_reads_iso_8601_and_leaves_the_other_data_subject_settings_readable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataSubject:ProofRetention"] = "P1826D",
            ["DataSubject:ExportRetention"] = "PT20S",
            ["DataSubject:ErasureNotice"] = "done",
        }).Build();
        using var provider = new ServiceCollection().AddRetention(configuration).AddPrivacy(configuration).BuildServiceProvider();

        // Before, DataSubjectOptions bound the same keys as TimeSpans: an ISO 8601 value threw on first use.
        Assert.Equal("done", provider.GetRequiredService<IOptions<DataSubjectOptions>>().Value.ErasureNotice);
        var retention = provider.GetRequiredService<IOptions<RetentionOptions>>().Value;
        Assert.Equal(TimeSpan.FromDays(1826), retention.ProofRetention);
        Assert.Equal(TimeSpan.FromSeconds(20), retention.ExportRetention);
        Assert.DoesNotContain(typeof(DataSubjectOptions).GetProperties(), p => p.PropertyType == typeof(TimeSpan));
    }

    [Theory]
    [InlineData(0, 0, 0, 0, "PT0S")]
    [InlineData(180, 0, 0, 0, "P180D")]
    [InlineData(0, 0, 0, 20, "PT20S")]
    [InlineData(1, 2, 30, 0, "P1DT2H30M")]
    [InlineData(0, 3, 0, 0, "PT3H")]
    [InlineData(0, 0, 5, 0, "PT5M")]
    public void Retention_periods_are_written_as_iso_8601_durations(int days, int hours, int minutes, int seconds, string expected)
    {
        var value = new TimeSpan(days, hours, minutes, seconds);
        Assert.Equal(expected, Iso8601Duration.Format(value));
        Assert.True(Iso8601Duration.TryParse(expected, out var back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void The_daily_schedule_runs_next_at_its_time_today_or_tomorrow()
    {
        var schedule = RetentionSchedule.TryParse("0 30 2 * * *")!;
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 2, 30, 0, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2026, 3, 1, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 2, 30, 0, TimeSpan.Zero), schedule.NextAfter(new DateTimeOffset(2026, 3, 1, 2, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_fraction_of_a_second_is_written_as_decimal_seconds_and_read_back()
    {
        var value = TimeSpan.FromMilliseconds(1500);

        Assert.Equal("PT1.5S", Iso8601Duration.Format(value));
        Assert.True(Iso8601Duration.TryParse("PT1.5S", out var back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void A_negative_period_cannot_be_written() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Iso8601Duration.Format(TimeSpan.FromDays(-1)));

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("P1X")]
    [InlineData("P99999999999D")]
    [InlineData("half a year")]
    public void Text_that_is_no_duration_is_not_read_as_one(string? text) =>
        Assert.False(Iso8601Duration.TryParse(text, out _));

    [Theory]
    [InlineData("0 30 2 * * *", 2, 30, 0)]
    [InlineData("59 59 23 * * *", 23, 59, 59)]
    [InlineData("0 0 0 * * *", 0, 0, 0)]
    public void A_daily_schedule_is_read_with_its_time(string text, int hour, int minute, int second) =>
        Assert.Equal(new RetentionSchedule(hour, minute, second), RetentionSchedule.TryParse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("0 30 2 * *")]
    [InlineData("0 30 2 1 * *")]
    [InlineData("0 30 2 * 1 *")]
    [InlineData("0 30 2 * * 1")]
    [InlineData("60 30 2 * * *")]
    [InlineData("0 60 2 * * *")]
    [InlineData("0 30 24 * * *")]
    [InlineData("-1 30 2 * * *")]
    [InlineData("0 */5 * * * *")]
    public void A_schedule_that_is_not_daily_at_a_fixed_time_is_refused(string? text) =>
        Assert.Null(RetentionSchedule.TryParse(text));

    [Fact]
    public void A_zero_retention_is_allowed_where_no_guarantee_needs_more()
    {
        var options = Resolve(new() { ["Retention:Messages"] = "PT0S", ["Retention:WebhookBodies"] = "P30D", ["Retention:ParkedWebhooks"] = "P30D" });

        Assert.Equal(TimeSpan.Zero, options.Messages);
    }

    [Fact]
    public void Webhook_bodies_kept_shorter_than_parked_webhooks_stop_start_up_since_a_parked_one_could_not_be_replayed()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Retention:WebhookBodies"] = "P1D", ["Retention:ParkedWebhooks"] = "P30D" }));

        Assert.Contains("Retention:WebhookBodies is shorter than Retention:ParkedWebhooks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unparsable_inbox_retention_is_reported_once_as_unparsable_and_not_as_inside_the_retry_window()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Retention:Inbox"] = "two weeks" }));

        Assert.Contains("Retention:Inbox is not a duration", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("retry window", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inbox_retention_of_zero_is_inside_the_retry_window() =>
        Assert.Contains("retry window", Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Retention:Inbox"] = "PT0S" })).Message, StringComparison.Ordinal);

    private static RetentionOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddRetention(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RetentionOptions>>().Value;
    }
}
