using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>
/// An instance of RFC 9535's ValueType: a JSON value or the special result <see cref="Nothing"/>.
/// </summary>
/// <remarks>
/// Values computed by functions (a length, a parsed account id) are held inline instead of in a
/// <see cref="JsonElement"/>, so that producing them during filter evaluation allocates nothing.
/// </remarks>
public readonly struct PathValue
{
    internal enum ValueKindTag : byte
    {
        Nothing,
        Element,
        String,
        Number,
        True,
        False,
        Null,
    }

    private readonly JsonElement _element;
    private readonly string? _string;
    private readonly double _double;
    private readonly byte[]? _exact;
    private readonly long _integer;
    private readonly bool _isInteger;

    private PathValue(ValueKindTag tag, JsonElement element = default, string? text = null, double number = 0, byte[]? exact = null, long integer = 0, bool isInteger = false)
    {
        Tag = tag;
        _element = element;
        _string = text;
        _double = number;
        _exact = exact;
        _integer = integer;
        _isInteger = isInteger;
    }

    internal ValueKindTag Tag { get; }

    /// <summary>The absence of a value (for example a singular query that selected nothing).</summary>
    public static PathValue Nothing => default;

    /// <summary>The JSON literal <c>null</c>.</summary>
    public static PathValue Null => new(ValueKindTag.Null);

    /// <summary>True when this is <see cref="Nothing"/>.</summary>
    public bool IsNothing => Tag == ValueKindTag.Nothing;

    /// <summary>The JSON kind of the value, or <see cref="JsonValueKind.Undefined"/> for <see cref="Nothing"/>.</summary>
    public JsonValueKind ValueKind => Tag switch
    {
        ValueKindTag.Element => _element.ValueKind,
        ValueKindTag.String => JsonValueKind.String,
        ValueKindTag.Number => JsonValueKind.Number,
        ValueKindTag.True => JsonValueKind.True,
        ValueKindTag.False => JsonValueKind.False,
        ValueKindTag.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };

    /// <summary>Wraps a document value.</summary>
    /// <param name="element">The value.</param>
    public static PathValue FromElement(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? Nothing : new(ValueKindTag.Element, element);

    /// <summary>A string value.</summary>
    /// <param name="value">The string.</param>
    public static PathValue FromString(string value) =>
        new(ValueKindTag.String, text: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A binary64 number value: compared with other numbers as binary64, as RFC 9535's interoperability note allows.</summary>
    /// <param name="value">The number.</param>
    public static PathValue FromNumber(double value) => new(ValueKindTag.Number, number: value);

    /// <summary>An exact number value.</summary>
    /// <param name="value">The number.</param>
    public static PathValue FromNumber(decimal value) =>
        new(ValueKindTag.Number, number: (double)value, exact: Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>An integer value.</summary>
    /// <param name="value">The number.</param>
    public static PathValue FromNumber(long value) =>
        new(ValueKindTag.Number, number: value, integer: value, isInteger: true);

    /// <summary>The literal <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The boolean.</param>
    public static PathValue FromBoolean(bool value) => new(value ? ValueKindTag.True : ValueKindTag.False);

    internal static PathValue FromNumberText(string text)
    {
        var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var isInteger = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer);
        return new(ValueKindTag.Number, number: d, exact: Encoding.ASCII.GetBytes(text), integer: integer, isInteger: isInteger);
    }

    internal JsonElement Element => _element;

    internal string? RawString => _string;

    internal double RawDouble => _double;

    internal bool TryGetRawInteger(out long value)
    {
        value = _integer;
        return _isInteger;
    }

    /// <summary>The exact decimal text of an inline number, or null for a binary64 one.</summary>
    internal ReadOnlySpan<byte> RawExactText => _exact ?? (_isInteger ? Encoding.ASCII.GetBytes(_integer.ToString(CultureInfo.InvariantCulture)) : default);

    internal bool HasExactText => _exact is not null || _isInteger;

    /// <summary>Gets the value as a document element when it came from the document.</summary>
    /// <param name="element">The element.</param>
    public bool TryGetElement(out JsonElement element)
    {
        element = _element;
        return Tag == ValueKindTag.Element;
    }

    /// <summary>Gets the value as a string when it is a JSON string.</summary>
    /// <param name="value">The string.</param>
    public bool TryGetString([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        switch (Tag)
        {
            case ValueKindTag.String:
                value = _string!;
                return true;
            case ValueKindTag.Element when _element.ValueKind == JsonValueKind.String:
                value = JsonStrings.Value(_element);
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <summary>Gets the value as a double when it is a JSON number.</summary>
    /// <param name="value">The number.</param>
    public bool TryGetNumber(out double value)
    {
        switch (Tag)
        {
            case ValueKindTag.Number:
                value = _double;
                return true;
            case ValueKindTag.Element when _element.ValueKind == JsonValueKind.Number:
                value = _element.GetDouble();
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Tag switch
    {
        ValueKindTag.Nothing => "Nothing",
        ValueKindTag.Element => _element.GetRawText(),
        ValueKindTag.String => JsonSerializer.Serialize(_string, JsonPathJsonContext.Default.String),
        ValueKindTag.Number => _double.ToString("R", CultureInfo.InvariantCulture),
        ValueKindTag.True => "true",
        ValueKindTag.False => "false",
        _ => "null",
    };
}
