using System.Globalization;

namespace PolicyEngine.Cli;

/// <summary>The text of <c>--part-size</c>: a number of bytes with an optional K, M or G suffix (powers of 1,024).</summary>
internal static class PartSize
{
    /// <summary>The size in bytes (0: evaluate whole), or null when <paramref name="text"/> is not a size.</summary>
    public static long? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var shift = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            _ => 0,
        };
        var digits = shift == 0 ? text : text[..^1];
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value <= long.MaxValue >> shift
            ? value << shift
            : null;
    }
}
