using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Messaging.Infra.Tests.Infrastructure;

/// <summary>
/// Evaluates the part of the ARM template language that computed names use (a name built in a copy loop, such as the
/// contact-sharded tables: format, padLeft, arithmetic, range, length, indexing, variables, parameters with one value,
/// copyIndex). Anything else throws <see cref="NotSupportedException"/>, so a name it cannot work out stays unresolved.
/// </summary>
public sealed class ArmExpression
{
    private readonly string _text;
    private readonly ArmScope _scope;
    private readonly long? _copyIndex;
    private int _at;

    private ArmExpression(string text, ArmScope scope, long? copyIndex)
    {
        _text = text;
        _scope = scope;
        _copyIndex = copyIndex;
    }

    /// <summary>The value of an expression without its brackets: a string, a long, a bool or a list of them.</summary>
    public static object? Evaluate(string expression, ArmScope scope, long? copyIndex = null)
    {
        var parser = new ArmExpression(expression, scope, copyIndex);
        var value = parser.Expression();
        parser.Skip();
        return parser._at == expression.Length ? value : throw new NotSupportedException($"unexpected '{expression[parser._at..]}'");
    }

    /// <summary>The arguments of the outermost call of an expression, unevaluated: format('{0}/{1}', a, b) gives the texts of its arguments.</summary>
    public static IReadOnlyList<string> Arguments(string expression)
    {
        var parser = new ArmExpression(expression, null!, null);
        parser.Identifier();
        parser.Expect('(');
        var arguments = new List<string>();
        while (true)
        {
            parser.Skip();
            var start = parser._at;
            parser.SkipExpression();
            arguments.Add(expression[start..parser._at].Trim());
            parser.Skip();
            if (parser.Next() == ')')
            {
                return arguments;
            }

            parser._at--;
            parser.Expect(',');
        }
    }

    /// <summary>A JSON value of the template as a value: expression strings are evaluated, arrays element by element.</summary>
    public static object? FromJson(JsonNode? node, ArmScope scope, long? copyIndex = null) => node switch
    {
        JsonArray array => array.Select(item => FromJson(item, scope, copyIndex)).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => ArmScope.IsExpression(s) ? Evaluate(s[1..^1], scope, copyIndex) : s,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new NotSupportedException($"value {node?.ToJsonString()}"),
    };

    private object? Expression()
    {
        var value = Primary();
        while (true)
        {
            Skip();
            if (Peek() != '[')
            {
                return value;
            }

            _at++;
            var index = Expression();
            Expect(']');
            value = value is List<object?> list && index is long i ? list[(int)i] : throw new NotSupportedException("index into a non-list");
        }
    }

    private object? Primary()
    {
        Skip();
        var c = Peek();
        if (c == '\'')
        {
            return StringLiteral();
        }

        if (char.IsDigit(c) || c == '-')
        {
            var start = _at++;
            while (char.IsDigit(Peek()))
            {
                _at++;
            }

            return long.Parse(_text[start.._at], CultureInfo.InvariantCulture);
        }

        var name = Identifier();
        Expect('(');
        var arguments = new List<object?>();
        Skip();
        if (Peek() == ')')
        {
            _at++;
        }
        else
        {
            do
            {
                arguments.Add(Expression());
                Skip();
            }
            while (Next() == ',');

            _at--;
            Expect(')');
        }

        return Call(name, arguments);
    }

    private object? Call(string name, List<object?> a) => name switch
    {
        "variables" => _scope.Variables[Text(a[0])] is { } variable ? FromJson(variable, _scope, _copyIndex) : throw new NotSupportedException($"variable {a[0]}"),
        "parameters" => _scope.Candidates(JsonValue.Create($"[parameters('{Text(a[0])}')]")) is [var only] && !(only is JsonValue v && v.TryGetValue<string>(out var s) && ArmScope.IsExpression(s))
            ? FromJson(only, _scope, _copyIndex)
            : throw new NotSupportedException($"parameter {a[0]}"),
        "copyIndex" when a.Count == 0 => _copyIndex ?? throw new NotSupportedException("copyIndex outside a loop"),
        "range" => Enumerable.Range((int)Number(a[0]), (int)Number(a[1])).Select(i => (object?)(long)i).ToList(),
        "length" => a[0] switch
        {
            List<object?> list => (long)list.Count,
            string text => (long)text.Length,
            _ => throw new NotSupportedException("length of " + a[0]),
        },
        "add" => Number(a[0]) + Number(a[1]),
        "sub" => Number(a[0]) - Number(a[1]),
        "mul" => Number(a[0]) * Number(a[1]),
        "div" => Number(a[0]) / Number(a[1]),
        "mod" => Number(a[0]) % Number(a[1]),
        "string" => Text(a[0]),
        "padLeft" => Text(a[0]).PadLeft((int)Number(a[1]), Text(a[2]).Single()),
        "format" => string.Format(CultureInfo.InvariantCulture, Text(a[0]), [.. a.Skip(1).Select(Text)]),
        "concat" when a.All(x => x is string) => string.Concat(a.Cast<string>()),
        "concat" when a.All(x => x is List<object?>) => a.Cast<List<object?>>().SelectMany(list => list).ToList(),
        _ => throw new NotSupportedException($"function {name}"),
    };

    private static long Number(object? value) => value as long? ?? throw new NotSupportedException($"not a number: {value}");

    private static string Text(object? value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"not a string: {value}"),
    };

    private string StringLiteral()
    {
        Expect('\'');
        var text = new StringBuilder();
        while (true)
        {
            var c = Next();
            if (c == '\'' && Peek() == '\'')
            {
                _at++;
                text.Append('\'');
            }
            else if (c == '\'')
            {
                return text.ToString();
            }
            else
            {
                text.Append(c);
            }
        }
    }

    private string Identifier()
    {
        Skip();
        var start = _at;
        while (char.IsLetterOrDigit(Peek()))
        {
            _at++;
        }

        return _at > start ? _text[start.._at] : throw new NotSupportedException($"expected a name at {_at} in {_text}");
    }

    // Moves past one argument: up to the next comma or closing parenthesis at this depth, strings skipped whole.
    private void SkipExpression()
    {
        var depth = 0;
        while (_at < _text.Length)
        {
            var c = Peek();
            if (c == '\'')
            {
                StringLiteral();
                continue;
            }

            if (depth == 0 && c is ',' or ')')
            {
                return;
            }

            depth += c is '(' or '[' ? 1 : c is ')' or ']' ? -1 : 0;
            _at++;
        }
    }

    private void Expect(char expected)
    {
        Skip();
        if (Next() != expected)
        {
            throw new NotSupportedException($"expected '{expected}' at {_at - 1} in {_text}");
        }
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private char Next() => _at < _text.Length ? _text[_at++] : throw new NotSupportedException($"unexpected end of {_text}");
}
