using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PolicyEngine.JsonPath;

/// <summary>Compiled I-Regexps by pattern text, bounded because patterns can come from documents.</summary>
internal sealed class RegexCache
{
    private const int Capacity = 512;
    private readonly ConcurrentDictionary<string, Regex?> _cache = new(StringComparer.Ordinal);
    private readonly Mode _mode;

    public RegexCache(Mode mode)
    {
        _mode = mode;
    }

    public enum Mode
    {
        Match,
        Search,
    }

    /// <summary>Returns the compiled regex, or null when the pattern is not a valid I-Regexp.</summary>
    public Regex? Get(string pattern)
    {
        if (_cache.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        regex = Compile(pattern, _mode == Mode.Match);
        if (_cache.Count >= Capacity)
        {
            _cache.Clear();
        }

        _cache[pattern] = regex;
        return regex;
    }

    /// <summary>
    /// The longest pattern compiled, in UTF-16 code units. Building the matcher costs more than linear time in the
    /// pattern's length (a 1 MB pattern takes minutes), and a pattern can come from a document.
    /// </summary>
    internal const int MaxPatternLength = 8192;

    /// <summary>
    /// Says why a valid I-Regexp cannot be used (too long, or past the matcher's automaton size limit), or null when
    /// it can, or when it is not a valid I-Regexp at all (which RFC 9535 defines as a false match, not an error).
    /// </summary>
    internal string? LimitProblem(string pattern)
    {
        if (pattern.Length > MaxPatternLength)
        {
            return $"Expected a regular expression of at most {MaxPatternLength} characters, found one of {pattern.Length}; shorten it, or split it into several tests joined by ||";
        }

        var translated = IRegexpTranslator.Translate(pattern, _mode == Mode.Match);
        if (translated is null || Get(pattern) is not null)
        {
            return null;
        }

        return "Expected a regular expression the linear-time matcher can take, found one whose automaton is too large " +
            "(large counted repetitions such as a{1,5000} do this); use smaller bounds, or split it into several tests joined by ||";
    }

    internal static Regex? Compile(string pattern, bool wholeString)
    {
        if (pattern.Length > MaxPatternLength)
        {
            return null;
        }

        var translated = IRegexpTranslator.Translate(pattern, wholeString);
        if (translated is null)
        {
            return null;
        }

        try
        {
            // NonBacktracking guarantees matching time linear in the input, whatever the pattern.
            return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            // NonBacktracking refuses automata it considers too large (huge counted repetitions). A literal pattern
            // is reported when the query is parsed (LimitProblem); a pattern from the document matches nothing.
            return null;
        }
    }
}
