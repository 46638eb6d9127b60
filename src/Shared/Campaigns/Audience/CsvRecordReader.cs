using System.Text;

namespace Messaging.Shared.Campaigns.Audience;

/// <summary>
/// Reads RFC 4180 CSV one record at a time from a stream: quoted fields with "" escapes, commas and line breaks inside
/// quotes, CRLF, LF or CR line ends, a UTF-8 byte order mark (the caller's StreamReader drops it). The separator is the
/// header's first ',' or ';' (a German Excel saves ';'). Records are numbered as a spreadsheet shows rows (the header is row 1), counting a
/// quoted line break as part of its record. A malformed record is reported as such and reading goes on with the next.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private int _position;
    private int _length;
    private char? _separator;
    private int _row;

    /// <summary>One record: its row number and fields, or the reason it cannot be read.</summary>
    public sealed record Record(int Row, IReadOnlyList<string> Fields, string? Malformed);

    public async Task<Record?> ReadAsync(CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        var afterQuote = false;
        string? malformed = null;
        _row++;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = await NextAsync(cancellationToken);
            if (next < 0)
            {
                if (quoted)
                {
                    malformed ??= "a quoted field is not closed";
                }

                if (fields.Count == 0 && field.Length == 0 && !fieldStarted)
                {
                    return null;
                }

                fields.Add(field.ToString());
                return new Record(_row, fields, malformed);
            }

            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (await PeekAsync(cancellationToken) == '"')
                    {
                        _position++;
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            if (c is '\r' or '\n')
            {
                if (c == '\r' && await PeekAsync(cancellationToken) == '\n')
                {
                    _position++;
                }

                if (fields.Count == 0 && field.Length == 0 && !fieldStarted)
                {
                    // A blank line is no record; it still counts as a row, as in a spreadsheet.
                    _row++;
                    continue;
                }

                _separator ??= ',';
                fields.Add(field.ToString());
                return new Record(_row, fields, malformed);
            }

            var separator = _separator ?? (c is ',' or ';' ? c : (char?)null);
            if (separator is { } s && c == s)
            {
                _separator ??= s;
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = true;
                afterQuote = false;
                continue;
            }

            if (c == '"' && field.Length == 0 && !afterQuote)
            {
                quoted = true;
                fieldStarted = true;
                continue;
            }

            if (afterQuote)
            {
                malformed ??= "text follows a closing quote";
            }

            field.Append(c);
            fieldStarted = true;
        }
    }

    // Only asynchronous reads: ASP.NET Core refuses synchronous reads of a request body (TextReader.Peek would do one).
    private async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        if (_position == _length)
        {
            _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
            _position = 0;
        }

        return _length == 0 ? -1 : _buffer[_position];
    }

    private async ValueTask<int> NextAsync(CancellationToken cancellationToken)
    {
        var c = await PeekAsync(cancellationToken);
        if (c >= 0)
        {
            _position++;
        }

        return c;
    }
}
