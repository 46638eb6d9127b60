using System.Text;
using Messaging.Shared.Campaigns.Audience;

namespace Messaging.Shared.Tests.Campaigns;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<CsvRecordReader.Record>> ReadAllAsync(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var csv = new CsvRecordReader(reader);
        var records = new List<CsvRecordReader.Record>();
        while (await csv.ReadAsync(CancellationToken.None) is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    private static Task<List<CsvRecordReader.Record>> ReadAllAsync(string text) => ReadAllAsync(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Quoted_fields_keep_commas_escaped_quotes_and_line_breaks()
    {
        var records = await ReadAllAsync("phone,name,note\r\n+4915100000001,\"Müller, Erika\",\"says \"\"hi\"\"\r\ntwice\"\r\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["+4915100000001", "Müller, Erika", "says \"hi\"\r\ntwice"], records[1].Fields);
        Assert.Null(records[1].Malformed);
    }

    [Fact]
    public async Task A_byte_order_mark_does_not_become_part_of_the_first_header()
    {
        var records = await ReadAllAsync([0xEF, 0xBB, 0xBF, .. "phone\n+4915100000001\n"u8.ToArray()]);

        Assert.Equal("phone", records[0].Fields[0]);
    }

    [Fact]
    public async Task Rows_are_numbered_as_a_spreadsheet_shows_them_counting_blank_lines_and_tolerating_a_missing_final_newline()
    {
        var records = await ReadAllAsync("phone\n+491\r\n\r\n+492\r+493");

        Assert.Equal([(1, "phone"), (2, "+491"), (4, "+492"), (5, "+493")], records.Select(r => (r.Row, r.Fields[0])));
    }

    [Fact]
    public async Task A_header_separated_by_semicolons_makes_semicolons_the_separator_and_commas_plain_text()
    {
        var records = await ReadAllAsync("phone;name\n+4915100000001;Erika, die Große\n");

        Assert.Equal(["+4915100000001", "Erika, die Große"], records[1].Fields);
    }

    [Theory]
    [InlineData("phone,name\n+491,\"Erika\n", "a quoted field is not closed")]
    [InlineData("phone,name\n+491,\"Erika\"x\n+492,Max\n", "text follows a closing quote")]
    public async Task A_malformed_record_is_reported_and_reading_goes_on(string csv, string reason)
    {
        var records = await ReadAllAsync(csv);

        Assert.Equal(reason, records[1].Malformed);
        Assert.All(records.Skip(2), r => Assert.Null(r.Malformed));
    }
}
