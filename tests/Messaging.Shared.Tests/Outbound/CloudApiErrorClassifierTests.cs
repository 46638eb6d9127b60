using Messaging.Shared.Outbound;

namespace Messaging.Shared.Tests.Outbound;

public sealed class CloudApiErrorClassifierTests
{
    [Theory]
    [InlineData(130429, SendErrorCategory.Throttled)]
    [InlineData(131056, SendErrorCategory.Throttled)]
    [InlineData(4, SendErrorCategory.Throttled)]
    [InlineData(80007, SendErrorCategory.Throttled)]
    [InlineData(131047, SendErrorCategory.ClosedWindow)]
    [InlineData(131050, SendErrorCategory.MarketingOptOut)]
    [InlineData(131049, SendErrorCategory.EcosystemCap)]
    [InlineData(132000, SendErrorCategory.TemplateFault)]
    [InlineData(132001, SendErrorCategory.TemplateFault)]
    [InlineData(132015, SendErrorCategory.TemplateFault)]
    [InlineData(132016, SendErrorCategory.TemplateFault)]
    [InlineData(132069, SendErrorCategory.TemplateFault)]
    [InlineData(131026, SendErrorCategory.Undeliverable)]
    [InlineData(131000, SendErrorCategory.Transient)]
    [InlineData(131016, SendErrorCategory.Transient)]
    [InlineData(131057, SendErrorCategory.Transient)]
    [InlineData(0, SendErrorCategory.AuthOrConfig)]
    [InlineData(3, SendErrorCategory.AuthOrConfig)]
    [InlineData(10, SendErrorCategory.AuthOrConfig)]
    [InlineData(100, SendErrorCategory.AuthOrConfig)]
    [InlineData(190, SendErrorCategory.AuthOrConfig)]
    [InlineData(200, SendErrorCategory.AuthOrConfig)]
    [InlineData(299, SendErrorCategory.AuthOrConfig)]
    [InlineData(131005, SendErrorCategory.AuthOrConfig)]
    [InlineData(131008, SendErrorCategory.AuthOrConfig)]
    [InlineData(131009, SendErrorCategory.AuthOrConfig)]
    [InlineData(131031, SendErrorCategory.AuthOrConfig)]
    [InlineData(368, SendErrorCategory.AuthOrConfig)]
    [InlineData(130472, SendErrorCategory.Permanent)]
    [InlineData(131021, SendErrorCategory.Permanent)]
    [InlineData(131062, SendErrorCategory.Permanent)]
    [InlineData(137000, SendErrorCategory.Permanent)]
    public void Meta_error_code_maps_to_its_category(int code, SendErrorCategory expected) =>
        Assert.Equal(expected, CloudApiErrorClassifier.Classify(code, 400));

    [Fact]
    public void Ecosystem_cap_is_not_an_opt_out_but_a_retry_later() =>
        Assert.True(CloudApiErrorClassifier.IsRetryableLater(CloudApiErrorClassifier.Classify(131049)));

    [Theory]
    [InlineData(429, SendErrorCategory.Throttled)]
    [InlineData(500, SendErrorCategory.Transient)]
    [InlineData(503, SendErrorCategory.Transient)]
    [InlineData(401, SendErrorCategory.AuthOrConfig)]
    [InlineData(400, SendErrorCategory.Permanent)]
    public void Without_an_error_code_the_http_status_decides(int status, SendErrorCategory expected) =>
        Assert.Equal(expected, CloudApiErrorClassifier.Classify(null, status));

    [Fact]
    public void Unknown_code_on_a_server_error_is_transient() =>
        Assert.Equal(SendErrorCategory.Transient, CloudApiErrorClassifier.Classify(999999, 500));

    [Theory]
    [InlineData(130429, true)]
    [InlineData(131056, true)]
    [InlineData(131057, true)]
    [InlineData(131016, true)]
    [InlineData(131000, false)]
    [InlineData(131047, false)]
    [InlineData(131050, false)]
    [InlineData(131049, false)]
    [InlineData(132001, false)]
    public void Only_codes_proving_nothing_was_sent_are_retried_immediately(int code, bool expected) =>
        Assert.Equal(expected, CloudApiErrorClassifier.IsRetryableImmediately(code));
}
