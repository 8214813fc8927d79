namespace PolicyEngine.JsonPath;

/// <summary>
/// Compares two numbers written in JSON number syntax by their exact decimal value. No rounding happens: 1e-30 is
/// greater than 0, and 9007199254740993 is greater than 9007199254740992, whatever their digits or exponents.
/// </summary>
internal static class NumberText
{
    // Exponents beyond this are clamped: the comparison stays exact for any number a document can hold in memory.
    private const long ExponentClamp = 1L << 60;

    /// <summary>Returns a negative number, zero or a positive number as <paramref name="a"/> is less than, equal to or greater than <paramref name="b"/>.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var x = new Parsed(a);
        var y = new Parsed(b);
        var xSign = x.IsZero ? 0 : x.Negative ? -1 : 1;
        var ySign = y.IsZero ? 0 : y.Negative ? -1 : 1;
        if (xSign != ySign || xSign == 0)
        {
            return xSign.CompareTo(ySign);
        }

        var magnitude = CompareMagnitude(x, y);
        return xSign > 0 ? magnitude : -magnitude;
    }

    private static int CompareMagnitude(in Parsed x, in Parsed y)
    {
        if (x.Order != y.Order)
        {
            return x.Order.CompareTo(y.Order);
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var difference = x.Digit(i) - y.Digit(i);
            if (difference != 0)
            {
                return difference;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>A number as its significant digits d1 d2 ... dn (no leading or trailing zeros) and the order k of 0.d1d2...dn × 10^k.</summary>
    private readonly ref struct Parsed
    {
        private readonly ReadOnlySpan<byte> _integer;
        private readonly ReadOnlySpan<byte> _fraction;
        private readonly int _skip;

        public Parsed(ReadOnlySpan<byte> text)
        {
            var i = 0;
            if (i < text.Length && text[i] == (byte)'-')
            {
                Negative = true;
                i++;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]))
            {
                i++;
            }

            _integer = text[start..i];
            if (i < text.Length && text[i] == (byte)'.')
            {
                start = ++i;
                while (i < text.Length && char.IsAsciiDigit((char)text[i]))
                {
                    i++;
                }

                _fraction = text[start..i];
            }

            long exponent = 0;
            if (i < text.Length && (text[i] | 0x20) == (byte)'e')
            {
                i++;
                var negativeExponent = false;
                if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
                {
                    negativeExponent = text[i] == (byte)'-';
                    i++;
                }

                for (; i < text.Length && char.IsAsciiDigit((char)text[i]); i++)
                {
                    exponent = Math.Min(exponent * 10 + (text[i] - '0'), ExponentClamp);
                }

                exponent = negativeExponent ? -exponent : exponent;
            }

            var total = _integer.Length + _fraction.Length;
            var lead = 0;
            while (lead < total && RawDigit(lead) == 0)
            {
                lead++;
            }

            var trail = total;
            while (trail > lead && RawDigit(trail - 1) == 0)
            {
                trail--;
            }

            _skip = lead;
            Length = trail - lead;
            Order = exponent + _integer.Length - lead;
        }

        public bool Negative { get; }

        public bool IsZero => Length == 0;

        public int Length { get; }

        public long Order { get; }

        public int Digit(int i) => RawDigit(_skip + i);

        private int RawDigit(int i) => (i < _integer.Length ? _integer[i] : _fraction[i - _integer.Length]) - '0';
    }
}
