using System.Globalization;
using System.Text;

namespace PolicyEngine.JsonPath;

/// <summary>
/// Translates an I-Regexp (RFC 9485) into an equivalent .NET pattern meant for <c>RegexOptions.NonBacktracking</c>.
/// </summary>
/// <remarks>
/// The pattern is parsed against the RFC 9485 grammar and re-emitted rather than passed through, because .NET
/// syntax (<c>\d</c>, <c>(?i)</c>, lookarounds) must not leak in. .NET matches UTF-16 code units, so every
/// construct that must match one Unicode scalar value (<c>.</c>, negated classes, astral literals and ranges) is
/// emitted as an alternation that consumes a whole surrogate pair. A leading <c>^</c> and trailing <c>$</c>,
/// ordinary characters in RFC 9485's grammar, are emitted as anchors because the compliance suite expects that.
/// Known limit: <c>\p{..}</c> categories match BMP characters only.
/// </remarks>
internal sealed class IRegexpTranslator
{
    private const string AnyScalar = @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n\r\uD800-\uDFFF])";
    private const int MaxDepth = 64;

    private static readonly string[] Categories =
    [
        "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Z", "Zl", "Zp", "Zs",
        "S", "Sc", "Sk", "Sm", "So", "C", "Cc", "Cf", "Cn", "Co",
    ];

    private readonly string _pattern;
    private readonly StringBuilder _out = new();
    private int _pos;
    private int _depth;

    private IRegexpTranslator(string pattern)
    {
        _pattern = pattern;
    }

    /// <summary>Returns the .NET pattern, or null when <paramref name="pattern"/> is not a valid I-Regexp.</summary>
    public static string? Translate(string pattern, bool wholeString)
    {
        var translator = new IRegexpTranslator(pattern);
        if (wholeString)
        {
            translator._out.Append(@"\A(?:");
        }
        else
        {
            translator._out.Append("(?:");
        }

        if (!translator.ParseRegexp() || translator._pos != pattern.Length)
        {
            return null;
        }

        translator._out.Append(wholeString ? @")\z" : ")");
        return translator._out.ToString();
    }

    private bool AtEnd => _pos >= _pattern.Length;

    private char Peek => _pattern[_pos];

    private bool ParseRegexp()
    {
        if (++_depth > MaxDepth)
        {
            return false;
        }

        if (!ParseBranch())
        {
            return false;
        }

        while (!AtEnd && Peek == '|')
        {
            _pos++;
            _out.Append('|');
            if (!ParseBranch())
            {
                return false;
            }
        }

        _depth--;
        return true;
    }

    private bool ParseBranch()
    {
        while (!AtEnd && Peek is not '|' and not ')')
        {
            if (!ParsePiece())
            {
                return false;
            }
        }

        return true;
    }

    private bool ParsePiece()
    {
        _out.Append("(?:");
        if (!ParseAtom())
        {
            return false;
        }

        _out.Append(')');
        if (AtEnd)
        {
            return true;
        }

        switch (Peek)
        {
            case '*':
            case '+':
            case '?':
                _out.Append(Peek);
                _pos++;
                return true;
            case '{':
                return ParseRangeQuantifier();
            default:
                return true;
        }
    }

    private bool ParseRangeQuantifier()
    {
        _pos++;
        if (!TryReadNumber(out var min))
        {
            return false;
        }

        _out.Append('{').Append(min);
        if (!AtEnd && Peek == ',')
        {
            _pos++;
            _out.Append(',');
            if (!AtEnd && Peek != '}')
            {
                if (!TryReadNumber(out var max) || int.Parse(max, CultureInfo.InvariantCulture) < int.Parse(min, CultureInfo.InvariantCulture))
                {
                    return false;
                }

                _out.Append(max);
            }
        }

        if (AtEnd || Peek != '}')
        {
            return false;
        }

        _pos++;
        _out.Append('}');
        return true;
    }

    private bool TryReadNumber(out string digits)
    {
        var start = _pos;
        while (!AtEnd && char.IsAsciiDigit(Peek))
        {
            _pos++;
        }

        digits = _pattern[start.._pos];
        return digits.Length is > 0 and < 10;
    }

    private bool ParseAtom()
    {
        if (AtEnd)
        {
            return false;
        }

        var c = Peek;
        switch (c)
        {
            case '(':
                _pos++;
                _out.Append("(?:");
                if (!ParseRegexp() || AtEnd || Peek != ')')
                {
                    return false;
                }

                _pos++;
                _out.Append(')');
                return true;
            case '.':
                _pos++;
                _out.Append(AnyScalar);
                return true;
            case '[':
                return ParseClassExpression();
            case '\\':
                return ParseEscapeAtom();
            case '^':
                _pos++;
                _out.Append(@"\A");
                return true;
            case '$':
                _pos++;
                _out.Append(@"\z");
                return true;
            case ')' or '*' or '+' or '?' or '{' or '}' or ']' or '|':
                return false;
            default:
                if (!TryReadScalar(out var scalar))
                {
                    return false;
                }

                AppendLiteral(_out, scalar);
                return true;
        }
    }

    private bool ParseEscapeAtom()
    {
        _pos++;
        if (AtEnd)
        {
            return false;
        }

        var c = Peek;
        if (c is 'p' or 'P')
        {
            var set = new CharSet();
            if (!ParseCategory(set))
            {
                return false;
            }

            set.Emit(_out, negated: false);
            return true;
        }

        if (!TryReadSingleCharEscape(out var scalar))
        {
            return false;
        }

        AppendLiteral(_out, scalar);
        return true;
    }

    private bool TryReadSingleCharEscape(out int scalar)
    {
        var c = Peek;
        scalar = c switch
        {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '(' or ')' or '*' or '+' or '-' or '.' or '?' or '[' or '\\' or ']' or '^' or '{' or '|' or '}' => c,
            _ => -1,
        };
        if (scalar < 0)
        {
            return false;
        }

        _pos++;
        return true;
    }

    private bool ParseCategory(CharSet set)
    {
        var negated = Peek == 'P';
        _pos++;
        if (AtEnd || Peek != '{')
        {
            return false;
        }

        var close = _pattern.IndexOf('}', _pos);
        if (close < 0)
        {
            return false;
        }

        var name = _pattern[(_pos + 1)..close];
        if (Array.IndexOf(Categories, name) < 0)
        {
            return false;
        }

        _pos = close + 1;
        set.Categories.Add((name, negated));
        return true;
    }

    private bool ParseClassExpression()
    {
        _pos++;
        var set = new CharSet();
        var negated = false;
        if (!AtEnd && Peek == '^')
        {
            negated = true;
            _pos++;
        }

        if (!AtEnd && Peek == '-')
        {
            set.Add('-', '-');
            _pos++;
        }
        else if (!ParseClassItem(set))
        {
            return false;
        }

        while (true)
        {
            if (AtEnd)
            {
                return false;
            }

            if (Peek == ']')
            {
                _pos++;
                break;
            }

            if (Peek == '-')
            {
                // A dash is only a literal as the first or the last character of the class.
                if (_pos + 1 < _pattern.Length && _pattern[_pos + 1] == ']')
                {
                    set.Add('-', '-');
                    _pos += 2;
                    break;
                }

                return false;
            }

            if (!ParseClassItem(set))
            {
                return false;
            }
        }

        set.Emit(_out, negated);
        return true;
    }

    private bool ParseClassItem(CharSet set)
    {
        if (AtEnd)
        {
            return false;
        }

        if (Peek == '\\' && _pos + 1 < _pattern.Length && _pattern[_pos + 1] is 'p' or 'P')
        {
            _pos++;
            return ParseCategory(set);
        }

        if (!TryReadClassChar(out var low))
        {
            return false;
        }

        var high = low;
        if (!AtEnd && Peek == '-' && _pos + 1 < _pattern.Length && _pattern[_pos + 1] != ']')
        {
            _pos++;
            if (!TryReadClassChar(out high) || high < low)
            {
                return false;
            }
        }

        set.Add(low, high);
        return true;
    }

    private bool TryReadClassChar(out int scalar)
    {
        scalar = -1;
        if (AtEnd)
        {
            return false;
        }

        switch (Peek)
        {
            case '\\':
                _pos++;
                return !AtEnd && TryReadSingleCharEscape(out scalar);
            case '[' or ']' or '-':
                return false;
            default:
                return TryReadScalar(out scalar);
        }
    }

    private bool TryReadScalar(out int scalar)
    {
        var c = Peek;
        if (char.IsHighSurrogate(c))
        {
            if (_pos + 1 < _pattern.Length && char.IsLowSurrogate(_pattern[_pos + 1]))
            {
                scalar = char.ConvertToUtf32(c, _pattern[_pos + 1]);
                _pos += 2;
                return true;
            }

            scalar = -1;
            return false;
        }

        if (char.IsLowSurrogate(c))
        {
            scalar = -1;
            return false;
        }

        scalar = c;
        _pos++;
        return true;
    }

    private static void AppendLiteral(StringBuilder builder, int scalar)
    {
        if (scalar > 0xFFFF)
        {
            var text = char.ConvertFromUtf32(scalar);
            AppendUnit(builder, text[0]);
            AppendUnit(builder, text[1]);
        }
        else if (char.IsAsciiLetterOrDigit((char)scalar))
        {
            builder.Append((char)scalar);
        }
        else
        {
            AppendUnit(builder, (char)scalar);
        }
    }

    private static void AppendUnit(StringBuilder builder, char c) =>
        builder.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));

    /// <summary>A character class as code-point ranges plus general categories.</summary>
    private sealed class CharSet
    {
        private readonly List<(int Low, int High)> _ranges = [];

        public List<(string Name, bool Negated)> Categories { get; } = [];

        public void Add(int low, int high) => _ranges.Add((low, high));

        public void Emit(StringBuilder builder, bool negated)
        {
            var merged = Merge(_ranges);
            var bmp = new StringBuilder();
            var astral = new List<(int Low, int High)>();
            foreach (var (low, high) in merged)
            {
                if (low <= 0xFFFF)
                {
                    AppendBmpRange(bmp, low, Math.Min(high, 0xFFFF));
                }

                if (high >= 0x10000)
                {
                    astral.Add((Math.Max(low, 0x10000), high));
                }
            }

            var anyNegatedCategory = false;
            foreach (var (name, categoryNegated) in Categories)
            {
                bmp.Append(categoryNegated ? @"\P{" : @"\p{").Append(name).Append('}');
                anyNegatedCategory |= categoryNegated;
            }

            // Categories are only known for the BMP here; a negated one is taken to admit every astral scalar.
            if (anyNegatedCategory)
            {
                astral = [(0x10000, 0x10FFFF)];
            }

            var alternatives = new List<string>();
            if (negated)
            {
                alternatives.Add("[^" + bmp + @"\uD800-\uDFFF]");
                var next = 0x10000;
                foreach (var (low, high) in astral)
                {
                    if (low > next)
                    {
                        alternatives.Add(Astral(next, low - 1));
                    }

                    next = high + 1;
                }

                if (next <= 0x10FFFF)
                {
                    alternatives.Add(Astral(next, 0x10FFFF));
                }
            }
            else
            {
                if (bmp.Length > 0)
                {
                    alternatives.Add("[" + bmp + "]");
                }

                foreach (var (low, high) in astral)
                {
                    alternatives.Add(Astral(low, high));
                }
            }

            builder.Append("(?:").AppendJoin('|', alternatives).Append(')');
        }

        private static List<(int Low, int High)> Merge(List<(int Low, int High)> ranges)
        {
            var sorted = ranges.OrderBy(r => r.Low).ToList();
            var result = new List<(int Low, int High)>();
            foreach (var range in sorted)
            {
                if (result.Count > 0 && range.Low <= result[^1].High + 1)
                {
                    result[^1] = (result[^1].Low, Math.Max(result[^1].High, range.High));
                }
                else
                {
                    result.Add(range);
                }
            }

            return result;
        }

        private static void AppendBmpRange(StringBuilder builder, int low, int high)
        {
            // Surrogate code points are not scalar values; they can only appear in the pattern via astral ranges.
            if (low <= 0xDFFF && high >= 0xD800)
            {
                if (low < 0xD800)
                {
                    AppendBmpRange(builder, low, 0xD7FF);
                }

                if (high > 0xDFFF)
                {
                    AppendBmpRange(builder, 0xE000, high);
                }

                return;
            }

            AppendUnit(builder, (char)low);
            if (high != low)
            {
                builder.Append('-');
                AppendUnit(builder, (char)high);
            }
        }

        private static string Astral(int low, int high)
        {
            var lo = char.ConvertFromUtf32(low);
            var hi = char.ConvertFromUtf32(high);
            var b = new StringBuilder("(?:");
            if (lo[0] == hi[0])
            {
                AppendUnit(b, lo[0]);
                b.Append('[');
                AppendUnit(b, lo[1]);
                b.Append('-');
                AppendUnit(b, hi[1]);
                b.Append(']');
            }
            else
            {
                AppendUnit(b, lo[0]);
                b.Append('[');
                AppendUnit(b, lo[1]);
                b.Append(@"-\uDFFF]|");
                if (hi[0] - lo[0] > 1)
                {
                    b.Append('[');
                    AppendUnit(b, (char)(lo[0] + 1));
                    b.Append('-');
                    AppendUnit(b, (char)(hi[0] - 1));
                    b.Append(@"][\uDC00-\uDFFF]|");
                }

                AppendUnit(b, hi[0]);
                b.Append(@"[\uDC00-");
                AppendUnit(b, hi[1]);
                b.Append(']');
            }

            return b.Append(')').ToString();
        }
    }
}
