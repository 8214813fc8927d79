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

    internal static Regex? Compile(string pattern, bool wholeString)
    {
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
            // NonBacktracking refuses automata it considers too large (huge counted repetitions).
            return null;
        }
    }
}
