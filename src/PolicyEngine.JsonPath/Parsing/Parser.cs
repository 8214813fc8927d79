using System.Globalization;
using System.Text;

namespace PolicyEngine.JsonPath;

/// <summary>
/// Recursive-descent parser for the RFC 9535 ABNF. It type-checks filter expressions as it goes, so a query that
/// is not well-typed is rejected here and evaluation never has to report an error.
/// </summary>
internal sealed class Parser
{
    private const int MaxNesting = 128;
    private const long MaxSafeInteger = 9007199254740991;

    private readonly string _text;
    private readonly FunctionRegistry _functions;
    private int _pos;
    private int _nesting;
    private int _nameSlots;

    // False only in tests: build the general expression nodes, to check the specialized ones against them.
    private readonly bool _specialize;

    private Parser(string text, FunctionRegistry functions, bool specialize)
    {
        _text = text;
        _functions = functions;
        _specialize = specialize;
    }

    public static bool TryParse(string text, FunctionRegistry functions, out Segment[] segments, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out JsonPathError? error, bool specialize = true)
    {
        var parser = new Parser(text, functions, specialize);
        try
        {
            segments = parser.ParseQuery();
            error = null;
            return true;
        }
        catch (ParseFailure failure)
        {
            segments = [];
            error = failure.Error;
            return false;
        }
    }

    private bool AtEnd => _pos >= _text.Length;

    private Segment[] ParseQuery()
    {
        if (_text.Length == 0 || _text[0] != '$')
        {
            throw Fail(0, "Expected '$' at the start of the query, found " + Describe(0));
        }

        _pos = 1;
        var segments = ParseSegments();
        if (!AtEnd)
        {
            throw Fail(_pos, "Expected '.', '..', '[' or the end of the query, found " + Describe(_pos));
        }

        return segments;
    }

    private Segment[] ParseSegments()
    {
        List<Segment>? segments = null;
        while (true)
        {
            var save = _pos;
            SkipBlank();
            if (AtEnd)
            {
                _pos = save;
                break;
            }

            Segment segment;
            var c = _text[_pos];
            if (c == '[')
            {
                segment = new Segment(ParseBracketedSelection(), isDescendant: false);
            }
            else if (c == '.' && _pos + 1 < _text.Length && _text[_pos + 1] == '.')
            {
                _pos += 2;
                if (!AtEnd && _text[_pos] == '[')
                {
                    segment = new Segment(ParseBracketedSelection(), isDescendant: true);
                }
                else if (!AtEnd && _text[_pos] == '*')
                {
                    _pos++;
                    segment = new Segment([WildcardSelector.Instance], isDescendant: true);
                }
                else if (TryParseMemberNameShorthand(out var name))
                {
                    segment = new Segment([new NameSelector(name, _nameSlots++)], isDescendant: true);
                }
                else
                {
                    throw Fail(_pos, "Expected a member name, '*' or '[' after '..', found " + Describe(_pos));
                }
            }
            else if (c == '.')
            {
                _pos++;
                if (!AtEnd && _text[_pos] == '*')
                {
                    _pos++;
                    segment = new Segment([WildcardSelector.Instance], isDescendant: false);
                }
                else if (TryParseMemberNameShorthand(out var name))
                {
                    segment = new Segment([new NameSelector(name, _nameSlots++)], isDescendant: false);
                }
                else
                {
                    throw Fail(_pos, "Expected a member name or '*' after '.', found " + Describe(_pos));
                }
            }
            else
            {
                _pos = save;
                break;
            }

            (segments ??= []).Add(segment);
        }

        return segments is null ? [] : [.. segments];
    }

    private bool TryParseMemberNameShorthand(out string name)
    {
        var start = _pos;
        while (!AtEnd)
        {
            var c = _text[_pos];
            var first = _pos == start;
            if (char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c)) || (c >= 0x80 && !char.IsSurrogate(c)))
            {
                _pos++;
            }
            else if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
            {
                _pos += 2;
            }
            else
            {
                break;
            }
        }

        name = _text[start.._pos];
        return _pos > start;
    }

    private Selector[] ParseBracketedSelection()
    {
        var open = _pos;
        Enter(open);
        _pos++;
        var selectors = new List<Selector>(1);
        SkipBlank();
        while (true)
        {
            selectors.Add(ParseSelector());
            SkipBlank();
            if (AtEnd)
            {
                throw Fail(_pos, $"Expected ',' or ']' to close the '[' at position {open}, found the end of the query");
            }

            var c = _text[_pos];
            if (c == ']')
            {
                _pos++;
                break;
            }

            if (c != ',')
            {
                throw Fail(_pos, $"Expected ',' or ']' to close the '[' at position {open}, found " + Describe(_pos));
            }

            _pos++;
            SkipBlank();
        }

        _nesting--;
        return [.. selectors];
    }

    private Selector ParseSelector()
    {
        if (AtEnd)
        {
            throw Fail(_pos, "Expected a selector (a quoted name, '*', an index, a slice or a '?' filter), found the end of the query");
        }

        var c = _text[_pos];
        switch (c)
        {
            case '\'' or '"':
                return new NameSelector(ParseStringLiteral(), _nameSlots++);
            case '*':
                _pos++;
                return WildcardSelector.Instance;
            case '?':
                _pos++;
                SkipBlank();
                var expression = ParseLogicalOr();
                return new FilterSelector(ToTest(expression));
            case ':' or '-' or (>= '0' and <= '9'):
                return ParseIndexOrSlice();
            default:
                throw Fail(_pos, "Expected a selector (a quoted name, '*', an index, a slice or a '?' filter), found " + Describe(_pos));
        }
    }

    private Selector ParseIndexOrSlice()
    {
        long? start = null;
        if (_text[_pos] != ':')
        {
            start = ParseInteger();
            var save = _pos;
            SkipBlank();
            if (AtEnd || _text[_pos] != ':')
            {
                _pos = save;
                return new IndexSelector(start.Value);
            }
        }

        _pos++;
        SkipBlank();
        long? end = null;
        if (!AtEnd && _text[_pos] is '-' or (>= '0' and <= '9'))
        {
            end = ParseInteger();
            SkipBlank();
        }

        long? step = null;
        if (!AtEnd && _text[_pos] == ':')
        {
            _pos++;
            SkipBlank();
            if (!AtEnd && _text[_pos] is '-' or (>= '0' and <= '9'))
            {
                step = ParseInteger();
            }
        }

        return new SliceSelector(start, end, step);
    }

    private long ParseInteger()
    {
        var start = _pos;
        var negative = _text[_pos] == '-';
        if (negative)
        {
            _pos++;
        }

        if (AtEnd || !char.IsAsciiDigit(_text[_pos]))
        {
            throw Fail(_pos, "Expected a digit, found " + Describe(_pos));
        }

        if (_text[_pos] == '0')
        {
            if (negative)
            {
                throw Fail(start, "Expected an integer: '-0' is not allowed as an index or slice bound");
            }

            if (_pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))
            {
                throw Fail(start, "Expected an integer without leading zeros");
            }
        }

        long value = 0;
        var digits = 0;
        while (!AtEnd && char.IsAsciiDigit(_text[_pos]))
        {
            if (++digits > 16)
            {
                throw Fail(start, "Expected an integer between -9007199254740991 and 9007199254740991");
            }

            value = (value * 10) + (_text[_pos] - '0');
            _pos++;
        }

        if (value > MaxSafeInteger)
        {
            throw Fail(start, "Expected an integer between -9007199254740991 and 9007199254740991");
        }

        return negative ? -value : value;
    }

    private string ParseStringLiteral()
    {
        var open = _pos;
        var quote = _text[_pos++];
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Fail(_pos, $"Expected {quote} to close the string literal that starts at position {open}, found the end of the query");
            }

            var c = _text[_pos];
            if (c == quote)
            {
                _pos++;
                return builder.ToString();
            }

            if (c < 0x20)
            {
                throw Fail(_pos, $"Expected a printable character: control character U+{(int)c:X4} must be escaped in a string literal");
            }

            if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
            {
                builder.Append(c).Append(_text[_pos + 1]);
                _pos += 2;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw Fail(_pos, "Expected a Unicode scalar value, found an unpaired surrogate");
            }

            if (c != '\\')
            {
                builder.Append(c);
                _pos++;
                continue;
            }

            var escape = _pos;
            _pos++;
            if (AtEnd)
            {
                throw Fail(escape, "Expected an escape sequence after '\\', found the end of the query");
            }

            var e = _text[_pos++];
            switch (e)
            {
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case '/': builder.Append('/'); break;
                case '\\': builder.Append('\\'); break;
                case 'u':
                    builder.Append(ParseUnicodeEscape(escape));
                    break;
                default:
                    if (e == quote)
                    {
                        builder.Append(e);
                        break;
                    }

                    throw Fail(escape, $"Expected a valid escape (\\b \\f \\n \\r \\t \\/ \\\\ \\{quote} or \\uXXXX), found '\\{e}'");
            }
        }
    }

    private string ParseUnicodeEscape(int escape)
    {
        var unit = ParseHex4(escape);
        if (char.IsLowSurrogate(unit))
        {
            throw Fail(escape, "Expected a high surrogate before the low surrogate escape");
        }

        if (!char.IsHighSurrogate(unit))
        {
            return unit.ToString();
        }

        var second = _pos;
        if (_pos + 1 < _text.Length && _text[_pos] == '\\' && _text[_pos + 1] == 'u')
        {
            _pos += 2;
            var low = ParseHex4(second);
            if (char.IsLowSurrogate(low))
            {
                return new string([unit, low]);
            }
        }

        throw Fail(escape, "Expected a low surrogate escape (\\uDC00-\\uDFFF) after the high surrogate escape");
    }

    private char ParseHex4(int escape)
    {
        if (_pos + 4 > _text.Length
            || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(escape, "Expected four hexadecimal digits after '\\u'");
        }

        _pos += 4;
        return (char)value;
    }

    private Operand ParseLogicalOr()
    {
        var first = ParseLogicalAnd();
        List<LogicalExpression>? operands = null;
        while (true)
        {
            var save = _pos;
            SkipBlank();
            if (!Lookahead("||"))
            {
                _pos = save;
                break;
            }

            operands ??= [ToTest(first)];
            _pos += 2;
            SkipBlank();
            operands.Add(ToTest(ParseLogicalAnd()));
        }

        return operands is null ? first : new Operand { Position = first.Position, Logical = new OrExpression([.. operands]) };
    }

    private Operand ParseLogicalAnd()
    {
        var first = ParseBasic();
        List<LogicalExpression>? operands = null;
        while (true)
        {
            var save = _pos;
            SkipBlank();
            if (!Lookahead("&&"))
            {
                _pos = save;
                break;
            }

            operands ??= [ToTest(first)];
            _pos += 2;
            SkipBlank();
            operands.Add(ToTest(ParseBasic()));
        }

        return operands is null ? first : new Operand { Position = first.Position, Logical = new AndExpression([.. operands]) };
    }

    private Operand ParseBasic()
    {
        var start = _pos;
        Enter(start);
        Operand result;
        if (!AtEnd && _text[_pos] == '!' && !Lookahead("!="))
        {
            _pos++;
            SkipBlank();
            var operand = !AtEnd && _text[_pos] == '(' ? ParseParenthesized() : ParsePrimary();
            result = new Operand { Position = start, Logical = new NotExpression(ToTest(operand)) };
        }
        else if (!AtEnd && _text[_pos] == '(')
        {
            result = ParseParenthesized();
        }
        else
        {
            var left = ParsePrimary();
            var save = _pos;
            SkipBlank();
            var opPosition = _pos;
            if (TryParseComparisonOperator(out var op))
            {
                var leftValue = ToComparable(left, opPosition);
                SkipBlank();
                var right = ParsePrimary();
                var rightValue = ToComparable(right, opPosition);
                result = new Operand { Position = start, Logical = (_specialize ? ComparisonExpression.Create(leftValue, op, rightValue) : new ComparisonExpression(leftValue, op, rightValue)) };
            }
            else
            {
                _pos = save;
                result = left;
            }
        }

        _nesting--;
        return result;
    }

    private Operand ParseParenthesized()
    {
        var open = _pos;
        _pos++;
        SkipBlank();
        var inner = ToTest(ParseLogicalOr());
        SkipBlank();
        if (AtEnd || _text[_pos] != ')')
        {
            throw Fail(_pos, $"Expected ')' to close the '(' at position {open}, found " + Describe(_pos));
        }

        _pos++;
        return new Operand { Position = open, Logical = inner };
    }

    private bool TryParseComparisonOperator(out ComparisonOperator op)
    {
        op = default;
        if (AtEnd)
        {
            return false;
        }

        var c = _text[_pos];
        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        switch (c)
        {
            case '=' when next == '=':
                op = ComparisonOperator.Equal;
                _pos += 2;
                return true;
            case '=':
                // A single '=' is the most common slip (SQL, JavaScript assignment); say which operator was meant.
                throw Fail(_pos, "Expected a comparison operator, found '=' alone; write '==' to test equality");
            case '!' when next == '=':
                op = ComparisonOperator.NotEqual;
                _pos += 2;
                return true;
            case '<':
                op = next == '=' ? ComparisonOperator.LessOrEqual : ComparisonOperator.Less;
                _pos += next == '=' ? 2 : 1;
                return true;
            case '>':
                op = next == '=' ? ComparisonOperator.GreaterOrEqual : ComparisonOperator.Greater;
                _pos += next == '=' ? 2 : 1;
                return true;
            default:
                return false;
        }
    }

    private Operand ParsePrimary()
    {
        var start = _pos;
        if (AtEnd)
        {
            throw Fail(_pos, "Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found the end of the query");
        }

        var c = _text[_pos];
        switch (c)
        {
            case '@' or '$':
                _pos++;
                return new Operand { Position = start, Query = new QueryExpression(c == '@', ParseSegments()) };
            case '\'' or '"':
                return new Operand { Position = start, Literal = PathValue.FromString(ParseStringLiteral()) };
            case '-' or (>= '0' and <= '9'):
                return new Operand { Position = start, Literal = ParseNumberLiteral() };
            case >= 'a' and <= 'z':
                var nameEnd = _pos;
                while (nameEnd < _text.Length && _text[nameEnd] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')
                {
                    nameEnd++;
                }

                var name = _text[_pos..nameEnd];
                if (nameEnd < _text.Length && _text[nameEnd] == '(')
                {
                    return ParseFunctionCall(name);
                }

                _pos = nameEnd;
                return name switch
                {
                    "true" => new Operand { Position = start, Literal = PathValue.FromBoolean(true) },
                    "false" => new Operand { Position = start, Literal = PathValue.FromBoolean(false) },
                    "null" => new Operand { Position = start, Literal = PathValue.Null },
                    _ => throw Fail(start, $"Expected a literal (true, false, null) or a function call '{name}(…)', found '{name}'"),
                };
            default:
                throw Fail(_pos, "Expected a filter expression ('@', '$', a literal, a function call, '(' or '!'), found " + Describe(_pos));
        }
    }

    private PathValue ParseNumberLiteral()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        if (AtEnd || !char.IsAsciiDigit(_text[_pos]))
        {
            throw Fail(_pos, "Expected a digit, found " + Describe(_pos));
        }

        if (_text[_pos] == '0' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))
        {
            throw Fail(start, "Expected a number without leading zeros");
        }

        SkipDigits();
        if (!AtEnd && _text[_pos] == '.')
        {
            _pos++;
            if (AtEnd || !char.IsAsciiDigit(_text[_pos]))
            {
                throw Fail(_pos, "Expected a digit after the decimal point, found " + Describe(_pos));
            }

            SkipDigits();
        }

        if (!AtEnd && _text[_pos] is 'e' or 'E')
        {
            _pos++;
            if (!AtEnd && _text[_pos] is '+' or '-')
            {
                _pos++;
            }

            if (AtEnd || !char.IsAsciiDigit(_text[_pos]))
            {
                throw Fail(_pos, "Expected a digit in the exponent, found " + Describe(_pos));
            }

            SkipDigits();
        }

        return PathValue.FromNumberText(_text[start.._pos]);
    }

    private void SkipDigits()
    {
        while (!AtEnd && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }
    }

    private Operand ParseFunctionCall(string name)
    {
        var start = _pos;
        if (!_functions.TryGetFunction(name, out var function))
        {
            throw Fail(start, $"Expected a known function, found unknown function '{name}'");
        }

        _pos += name.Length + 1;
        SkipBlank();
        var arguments = new List<Operand>();
        if (!AtEnd && _text[_pos] == ')')
        {
            _pos++;
        }
        else
        {
            while (true)
            {
                arguments.Add(ParseLogicalOr());
                SkipBlank();
                if (AtEnd)
                {
                    throw Fail(_pos, $"Expected ',' or ')' in the arguments of '{name}', found the end of the query");
                }

                if (_text[_pos] == ')')
                {
                    _pos++;
                    break;
                }

                if (_text[_pos] != ',')
                {
                    throw Fail(_pos, $"Expected ',' or ')' in the arguments of '{name}', found " + Describe(_pos));
                }

                _pos++;
                SkipBlank();
            }
        }

        var parameters = function.ParameterTypes;
        if (arguments.Count != parameters.Count)
        {
            throw Fail(start, $"Expected {parameters.Count} argument(s) for function '{name}', found {arguments.Count}");
        }

        var converted = new ArgumentExpression[arguments.Count];
        for (var i = 0; i < arguments.Count; i++)
        {
            converted[i] = ToArgument(arguments[i], parameters[i], name, i);
        }

        // A literal pattern the matcher cannot take is a parse error, not a filter that silently selects nothing.
        if (function.BuiltInRegexCache is { } regexes && converted.Length == 2 &&
            converted[1] is ValueArgument { Value: LiteralExpression literal } && literal.Value.TryGetString(out var pattern) &&
            regexes.LimitProblem(pattern) is { } problem)
        {
            throw Fail(arguments[1].Position, problem);
        }

        return new Operand { Position = start, Function = new FunctionCallExpression(function, converted) };
    }

    private ArgumentExpression ToArgument(Operand operand, FunctionType type, string name, int index)
    {
        var ordinal = index + 1;
        switch (type)
        {
            case FunctionType.Value:
                if (operand.Literal is { } literal)
                {
                    return new ValueArgument(new LiteralExpression(literal));
                }

                if (operand.Query is { IsSingular: true } singular)
                {
                    return new ValueArgument(new SingularQueryExpression(singular));
                }

                if (operand.Function is { Function.ResultType: FunctionType.Value } valueCall)
                {
                    return new ValueArgument(new FunctionValueExpression(valueCall));
                }

                throw Fail(operand.Position, $"Expected a ValueType for argument {ordinal} of '{name}' (a literal, a singular query or a ValueType function), found {DescribeType(operand)}");
            case FunctionType.Logical:
                if (operand.Literal is null && operand.Function is not { Function.ResultType: FunctionType.Value })
                {
                    return new LogicalArgument(ToTest(operand));
                }

                throw Fail(operand.Position, $"Expected a LogicalType for argument {ordinal} of '{name}' (a logical expression or a NodesType function), found {DescribeType(operand)}");
            default:
                if (operand.Query is { } query)
                {
                    return new QueryArgument(query);
                }

                if (operand.Function is { Function.ResultType: FunctionType.Nodes } nodesCall)
                {
                    return new NodesFunctionArgument(nodesCall);
                }

                throw Fail(operand.Position, $"Expected a NodesType for argument {ordinal} of '{name}' (a query or a NodesType function), found {DescribeType(operand)}");
        }
    }

    private static string DescribeType(Operand operand)
    {
        if (operand.Literal is not null)
        {
            return "a literal";
        }

        if (operand.Query is { } query)
        {
            return query.IsSingular ? "a singular query" : "a non-singular query";
        }

        if (operand.Function is { } call)
        {
            return $"function '{call.Function.Name}' of type {call.Function.ResultType}Type";
        }

        return "a logical expression";
    }

    private LogicalExpression ToTest(Operand operand)
    {
        if (operand.Logical is { } logical)
        {
            return logical;
        }

        if (operand.Query is { } query)
        {
            return new ExistenceExpression(query);
        }

        if (operand.Function is { } call)
        {
            if (call.Function.ResultType == FunctionType.Value)
            {
                throw Fail(operand.Position, $"Expected a LogicalType or NodesType test, found function '{call.Function.Name}' of type ValueType; compare its result instead");
            }

            return (_specialize ? RegexTestExpression.TryCreate(call) : null) ?? (LogicalExpression)new FunctionTestExpression(call);
        }

        throw Fail(operand.Position, "Expected a test (a query, a logical function or a comparison), found a literal on its own");
    }

    private static ValueExpression ToComparable(Operand operand, int operatorPosition)
    {
        if (operand.Literal is { } literal)
        {
            return new LiteralExpression(literal);
        }

        if (operand.Query is { } query)
        {
            if (!query.IsSingular)
            {
                throw Fail(operand.Position, "Expected a singular query in a comparison, found a query that can select several nodes");
            }

            return new SingularQueryExpression(query);
        }

        if (operand.Function is { } call)
        {
            if (call.Function.ResultType != FunctionType.Value)
            {
                throw Fail(operand.Position, $"Expected a ValueType in a comparison, found function '{call.Function.Name}' of type {call.Function.ResultType}Type");
            }

            return new FunctionValueExpression(call);
        }

        throw Fail(operand.Position, $"Expected a comparable (a literal, a singular query or a ValueType function) on each side of the operator at position {operatorPosition}, found a logical expression");
    }

    private void Enter(int position)
    {
        if (++_nesting > MaxNesting)
        {
            throw Fail(position, $"Expected at most {MaxNesting} levels of nesting");
        }
    }

    private bool Lookahead(string token) => string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0;

    private void SkipBlank()
    {
        while (!AtEnd && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private string Describe(int position)
    {
        if (position >= _text.Length)
        {
            return "the end of the query";
        }

        var c = _text[position];
        return c < 0x20 || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
    }

    private static ParseFailure Fail(int position, string message) => new(new JsonPathError(position, message));
}
