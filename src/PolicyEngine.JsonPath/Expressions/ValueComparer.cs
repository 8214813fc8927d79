using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.3.5.2.2 comparisons between ValueType instances.</summary>
internal static class ValueComparer
{
    public static bool AreEqual(in PathValue a, in PathValue b)
    {
        var aNothing = a.IsNothing;
        var bNothing = b.IsNothing;
        if (aNothing || bNothing)
        {
            return aNothing && bNothing;
        }

        var aElement = a.Tag == PathValue.ValueKindTag.Element;
        var bElement = b.Tag == PathValue.ValueKindTag.Element;
        if (aElement && bElement)
        {
            return JsonElement.DeepEquals(a.Element, b.Element);
        }

        if (aElement || bElement)
        {
            return aElement ? ElementEqualsInline(a.Element, b) : ElementEqualsInline(b.Element, a);
        }

        if (a.Tag != b.Tag)
        {
            return false;
        }

        return a.Tag switch
        {
            PathValue.ValueKindTag.String => string.Equals(a.RawString, b.RawString, StringComparison.Ordinal),
            PathValue.ValueKindTag.Number => CompareInlineNumbers(a, b) == 0,
            _ => true,
        };
    }

    public static bool IsLess(in PathValue a, in PathValue b)
    {
        var aKind = a.ValueKind;
        var bKind = b.ValueKind;
        if (aKind != bKind)
        {
            return false;
        }

        if (aKind == JsonValueKind.Number)
        {
            return CompareNumbers(a, b) < 0;
        }

        if (aKind == JsonValueKind.String)
        {
            a.TryGetString(out var x);
            b.TryGetString(out var y);
            return CompareScalars(x!, y!) < 0;
        }

        return false;
    }

    private static bool ElementEqualsInline(JsonElement element, in PathValue inline)
    {
        switch (inline.Tag)
        {
            case PathValue.ValueKindTag.String:
                return element.ValueKind == JsonValueKind.String && element.ValueEquals(inline.RawString);
            case PathValue.ValueKindTag.Number:
                return element.ValueKind == JsonValueKind.Number && CompareNumbers(PathValue.FromElement(element), inline) == 0;
            case PathValue.ValueKindTag.True:
                return element.ValueKind == JsonValueKind.True;
            case PathValue.ValueKindTag.False:
                return element.ValueKind == JsonValueKind.False;
            default:
                return element.ValueKind == JsonValueKind.Null;
        }
    }

    private static int CompareInlineNumbers(in PathValue a, in PathValue b) => CompareNumbers(a, b);

    // Exact decimal comparison when both numbers fit, so integers beyond 2^53 are not conflated; doubles otherwise.
    private static int CompareNumbers(in PathValue a, in PathValue b)
    {
        if (TryGetDecimal(a, out var x) && TryGetDecimal(b, out var y))
        {
            return x.CompareTo(y);
        }

        return GetDouble(a).CompareTo(GetDouble(b));
    }

    private static bool TryGetDecimal(in PathValue value, out decimal result) =>
        value.Tag == PathValue.ValueKindTag.Element ? value.Element.TryGetDecimal(out result) : value.TryGetRawDecimal(out result);

    private static double GetDouble(in PathValue value)
    {
        if (value.Tag != PathValue.ValueKindTag.Element)
        {
            return value.RawDouble;
        }

        return value.Element.TryGetDouble(out var d) ? d : double.NaN;
    }

    /// <summary>Orders strings by Unicode scalar value, which differs from UTF-16 ordinal order above U+E000.</summary>
    internal static int CompareScalars(string x, string y)
    {
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Fix(a) - Fix(b);
            }
        }

        return x.Length - y.Length;

        // Surrogates (astral scalars) must sort above U+E000..U+FFFF: shift the two groups past each other.
        static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    }
}
