using Messaging.Shared.Consent.Keywords;
using Microsoft.Extensions.Configuration;

namespace Messaging.Shared.Tests.Consent;

public sealed class ConsentKeywordsTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("  stop ")]
    [InlineData("Stop Promotions")]
    [InlineData("stop   promotions")]
    [InlineData("STOPP")]
    [InlineData("abmelden")]
    [InlineData("Unsubscribe")]
    [InlineData("optout")]
    [InlineData("Stop!")]
    [InlineData("\tquit\n")]
    public void A_stop_keyword_as_the_whole_message_withdraws(string text)
    {
        Assert.Equal(KeywordMatch.Stop, ConsentKeywords.Default.Match(text));
    }

    [Theory]
    [InlineData("START")]
    [InlineData(" anmelden ")]
    [InlineData("Unstop")]
    public void A_start_keyword_as_the_whole_message_grants(string text)
    {
        Assert.Equal(KeywordMatch.Start, ConsentKeywords.Default.Match(text));
    }

    [Theory]
    [InlineData("stop please")]
    [InlineData("please stop")]
    [InlineData("stopper")]
    [InlineData("Wann startet der Verkauf?")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_else_is_no_keyword(string? text)
    {
        Assert.Equal(KeywordMatch.None, ConsentKeywords.Default.Match(text));
    }

    [Fact]
    public void A_configured_list_replaces_the_defaults()
    {
        var keywords = new ConsentKeywords(new ConsentKeywordOptions { Stop = ["HALT"], Start = ["WEITER"] });

        Assert.Equal(KeywordMatch.Stop, keywords.Match("halt"));
        Assert.Equal(KeywordMatch.Start, keywords.Match("Weiter"));
        Assert.Equal(KeywordMatch.None, keywords.Match("STOP"));
        Assert.Equal(KeywordMatch.None, keywords.Match("START"));
    }

    [Fact]
    public void Lists_bound_from_configuration_replace_the_defaults_instead_of_extending_them()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Consent:Keywords:Stop:0"] = "HALT" })
            .Build();
        var options = new ConsentKeywordOptions();

        configuration.GetSection(ConsentKeywordOptions.Section).Bind(options);
        var keywords = new ConsentKeywords(options);

        Assert.Equal(["HALT"], options.EffectiveStop);
        Assert.Equal(KeywordMatch.None, keywords.Match("STOP"));
        Assert.Equal(KeywordMatch.Start, keywords.Match("START"));
    }

    [Fact]
    public void German_sharp_s_and_umlauts_match_in_any_case_and_spelling()
    {
        var keywords = new ConsentKeywords(new ConsentKeywordOptions { Stop = ["Tschüß"], Start = ["Grüezi"] });

        Assert.Equal(KeywordMatch.Stop, keywords.Match("TSCHÜSS"));
        Assert.Equal(KeywordMatch.Stop, keywords.Match("tschüß"));
        Assert.Equal(KeywordMatch.Stop, keywords.Match("TSCHÜẞ"));
        Assert.Equal(KeywordMatch.Stop, keywords.Match("tschu\u0308ss"));
        Assert.Equal(KeywordMatch.Start, keywords.Match("GRÜEZI"));
    }

    [Fact]
    public void A_word_in_both_lists_counts_as_stop()
    {
        var keywords = new ConsentKeywords(new ConsentKeywordOptions { Stop = ["ENDE"], Start = ["ende"] });

        Assert.Equal(KeywordMatch.Stop, keywords.Match("Ende"));
    }
}
