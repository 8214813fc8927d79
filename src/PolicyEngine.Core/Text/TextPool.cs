using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Core.Text;

/// <summary>
/// Shares equal texts, so that values an organization repeats hundreds of thousands of times are held as one string each.
/// </summary>
/// <remarks>
/// Two places hold such texts until the reports are written. The snapshot index holds every record's service,
/// operation, account and region, and every Config item's type, account and region. Every finding holds the detail
/// text its message is rendered from; at 100 accounts, 37,948 NotApplicable findings had 124 distinct messages. Made
/// once per record or finding, they were a large part of the memory held at 10,000 accounts. The pool is bounded: once
/// it holds <c>capacity</c> texts, a new text is returned as it is, so texts that never repeat (those that name an ARN,
/// say) cost no more than before. Thread-safe.
/// </remarks>
internal sealed class TextPool
{
    /// <summary>The longest JSON string (in UTF-8 bytes, quotes included) looked up without making a string first.</summary>
    private const int LongestLookedUp = 256;

    private readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private readonly int _capacity;
    private int _count;

    public TextPool(int capacity)
    {
        _capacity = capacity;
        _byChars = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The pool's copy of a JSON string's value. A value the pool holds is found from the document's bytes, so that
    /// reading it makes no string: a snapshot repeats its accounts, regions and types once per record.
    /// </summary>
    public string Share(JsonElement text)
    {
        var raw = JsonMarshal.GetRawUtf8Value(text);
        if (raw.Length is >= 2 and <= LongestLookedUp && raw.IndexOf((byte)'\\') < 0)
        {
            // Unescaped UTF-8 (the document has checked it) between the quotes: its chars are the value's.
            Span<char> chars = stackalloc char[LongestLookedUp];
            var length = Encoding.UTF8.GetChars(raw[1..^1], chars);
            if (_byChars.TryGetValue(chars[..length], out var shared))
            {
                return shared;
            }
        }

        return Share(text.GetString()!);
    }

    /// <summary>The pool's copy of <paramref name="text"/>, or <paramref name="text"/> itself when the pool has none and is full.</summary>
    public string Share(string text)
    {
        if (_texts.TryGetValue(text, out var shared))
        {
            return shared;
        }

        if (Volatile.Read(ref _count) >= _capacity)
        {
            return text;
        }

        if (_texts.TryAdd(text, text))
        {
            Interlocked.Increment(ref _count);
            return text;
        }

        return _texts.TryGetValue(text, out shared) ? shared : text;
    }
}
