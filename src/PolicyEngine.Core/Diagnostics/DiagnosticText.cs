using System.Globalization;

namespace PolicyEngine.Core.Diagnostics;

/// <summary>Quotes user-supplied values in messages: a diagnostic names the value, it does not echo a 200 MB string.</summary>
public static class DiagnosticText
{
    /// <summary>The most characters of a value a message quotes.</summary>
    public const int MaxQuoted = 64;

    /// <summary>The value itself when short, else its first <see cref="MaxQuoted"/> characters and its length.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxQuoted)
        {
            return value;
        }

        // Do not cut a surrogate pair in half.
        var cut = char.IsHighSurrogate(value[MaxQuoted - 1]) ? MaxQuoted - 1 : MaxQuoted;
        return string.Create(CultureInfo.InvariantCulture, $"{value[..cut]}... ({value.Length:N0} characters)");
    }
}
