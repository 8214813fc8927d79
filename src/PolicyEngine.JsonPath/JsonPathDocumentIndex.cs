using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>
/// An optional, caller-owned random-access table for the large arrays of one document, so index selectors
/// (<c>[5000]</c>, <c>[-1]</c>) on them cost O(1) instead of a walk over the preceding elements
/// (<see cref="JsonElement"/> arrays of objects or arrays have no per-element offset table).
/// Create one per document and pass it to <see cref="JsonPathQuery.Evaluate(JsonElement, JsonPathDocumentIndex?)"/>:
/// <see cref="Create"/> indexes each large array the first time an index selector reaches it (one walk over that
/// array), <see cref="Build"/> indexes every large array up front (one walk over the whole document). Either is safe
/// to share between threads: an array's table is complete before it is published, and two threads that index the
/// same array at once build equal tables. The index holds the document's elements, so it is valid only while the
/// document is not disposed. Results are identical with and without it.
/// </summary>
public sealed class JsonPathDocumentIndex
{
    private readonly JsonElement _root;

    // Keyed by the array's byte offset from the root's raw value: unique per array within one document.
    private readonly ConcurrentDictionary<long, JsonElement[]> _arrays;

    private JsonPathDocumentIndex(JsonElement root, int minArrayLength, ConcurrentDictionary<long, JsonElement[]> arrays, bool onDemand)
    {
        _root = root;
        MinArrayLength = minArrayLength;
        _arrays = arrays;
        OnDemand = onDemand;
    }

    /// <summary>Arrays with at least this many elements are indexed.</summary>
    public int MinArrayLength { get; }

    /// <summary>True for an index made by <see cref="Create"/>, which indexes arrays when first reached.</summary>
    public bool OnDemand { get; }

    /// <summary>How many arrays the index holds so far.</summary>
    public int ArrayCount => _arrays.Count;

    /// <summary>
    /// An empty index for <paramref name="root"/> that indexes a large array the first time an index selector
    /// reaches it. Creating it costs nothing; the first indexed access to an array walks that array once, so a
    /// document whose large arrays are never indexed into pays nothing at all.
    /// </summary>
    /// <param name="root">The root the index will be used with, typically <see cref="JsonDocument.RootElement"/>.</param>
    /// <param name="minArrayLength">Smaller arrays are never indexed (a walk over them is cheap); 0 indexes every array.</param>
    public static JsonPathDocumentIndex Create(JsonElement root, int minArrayLength = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minArrayLength);
        _ = JsonMarshal.GetRawUtf8Value(root); // fails now, not mid-query, for a default or disposed element
        return new JsonPathDocumentIndex(root, minArrayLength, new ConcurrentDictionary<long, JsonElement[]>(), onDemand: true);
    }

    /// <summary>Walks <paramref name="root"/> once and records the elements of every array of at least <paramref name="minArrayLength"/> elements.</summary>
    /// <param name="root">The root the index will be used with, typically <see cref="JsonDocument.RootElement"/>.</param>
    /// <param name="minArrayLength">Smaller arrays are left out (a walk over them is cheap); 0 indexes every array.</param>
    public static JsonPathDocumentIndex Build(JsonElement root, int minArrayLength = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minArrayLength);
        var arrays = new ConcurrentDictionary<long, JsonElement[]>();
        ref readonly var origin = ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(root));
        var pending = new Stack<JsonElement>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in value.EnumerateObject())
                {
                    if (member.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        pending.Push(member.Value);
                    }
                }
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                var length = value.GetArrayLength();
                var elements = length >= minArrayLength ? new JsonElement[length] : null;
                var i = 0;
                foreach (var element in value.EnumerateArray())
                {
                    if (elements is not null)
                    {
                        elements[i++] = element;
                    }

                    if (element.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        pending.Push(element);
                    }
                }

                if (elements is not null)
                {
                    arrays[OffsetOf(in origin, value)] = elements;
                }
            }
        }

        return new JsonPathDocumentIndex(root, minArrayLength, arrays, onDemand: false);
    }

    /// <summary>True when this index was built for <paramref name="root"/> (the same value in the same document buffer).</summary>
    public bool IsFor(JsonElement root)
    {
        var mine = JsonMarshal.GetRawUtf8Value(_root);
        var theirs = JsonMarshal.GetRawUtf8Value(root);
        return mine.Length == theirs.Length
            && Unsafe.AreSame(in MemoryMarshal.GetReference(mine), in MemoryMarshal.GetReference(theirs));
    }

    /// <summary>The element at <paramref name="index"/> (in range) of <paramref name="array"/> (of length <paramref name="length"/>).</summary>
    internal JsonElement ElementAt(JsonElement array, int length, int index)
    {
        if (length >= MinArrayLength)
        {
            ref readonly var origin = ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(_root));
            var offset = OffsetOf(in origin, array);
            if (_arrays.TryGetValue(offset, out var elements) && elements.Length == length)
            {
                return elements[index];
            }

            if (OnDemand)
            {
                // Racing threads may both walk the array; they build equal tables and one is kept.
                elements = _arrays.GetOrAdd(offset, static (_, value) => Elements(value), array);
                if (elements.Length == length)
                {
                    return elements[index];
                }
            }
        }

        return array[index];
    }

    private static JsonElement[] Elements(JsonElement array)
    {
        var elements = new JsonElement[array.GetArrayLength()];
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            elements[i++] = element;
        }

        return elements;
    }

    private static long OffsetOf(ref readonly byte origin, JsonElement value) =>
        (long)Unsafe.ByteOffset(in origin, in MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(value)));
}
