using System.Runtime.InteropServices;
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

    // Exact: integers as 64-bit integers, other numbers written in the document or the query by their decimal
    // text, never rounded (1e-30 > 0). Only a binary64 number computed by a function is compared as binary64.
    private static int CompareNumbers(in PathValue a, in PathValue b)
    {
        if (TryGetInteger(a, out var x) && TryGetInteger(b, out var y))
        {
            return x.CompareTo(y);
        }

        if (HasExactText(a) && HasExactText(b))
        {
            return NumberText.Compare(ExactText(a), ExactText(b));
        }

        return GetDouble(a).CompareTo(GetDouble(b));
    }

    private static bool TryGetInteger(in PathValue value, out long result) =>
        value.Tag == PathValue.ValueKindTag.Element ? value.Element.TryGetInt64(out result) : value.TryGetRawInteger(out result);

    private static bool HasExactText(in PathValue value) => value.Tag == PathValue.ValueKindTag.Element || value.HasExactText;

    private static ReadOnlySpan<byte> ExactText(in PathValue value) =>
        value.Tag == PathValue.ValueKindTag.Element ? JsonMarshal.GetRawUtf8Value(value.Element) : value.RawExactText;

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
