namespace PolicyEngine.Core.Text;

/// <summary>
/// A glob of two wildcards: <c>*</c> (any text, also none) and <c>?</c> (exactly one character); every other character
/// stands for itself. Used by <c>--rule</c> filters and by suppression resource patterns.
/// <para>Matching never backtracks exponentially: on a mismatch it only moves the text position of the last <c>*</c>
/// one character on, so a match costs at most (text length + 1) × (pattern length + 1) steps, whatever the input.
/// A suppression pattern comes from a configuration file and the text from a snapshot, both untrusted.</para>
/// </summary>
public sealed class Glob
{
    private readonly StringComparison _comparison;

    /// <summary>A glob compared ordinally, or ordinally ignoring case.</summary>
    public Glob(string pattern, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern has a wildcard; without one it matches only the identical text.</summary>
    public bool HasWildcard => Pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>True when the whole text matches the pattern.</summary>
    public bool IsMatch(string text) => IsMatch(text, out _);

    /// <summary>As <see cref="IsMatch(string)"/>, counting the steps taken (tests check the bound).</summary>
    internal bool IsMatch(string text, out long steps)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pattern = Pattern;
        int p = 0, t = 0, star = -1, resume = 0;
        steps = 0;
        while (t < text.Length)
        {
            steps++;
            if (p < pattern.Length && pattern[p] == '*')
            {
                // Remember the star and first try to let it match nothing.
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                // Let the last star swallow one more character; earlier stars never need to be revisited.
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            steps++;
            p++;
        }

        return p == pattern.Length;
    }

    private bool Same(char a, char b) => a == b || (_comparison == StringComparison.OrdinalIgnoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    /// <inheritdoc/>
    public override string ToString() => Pattern;
}
