using System.Collections;

namespace PolicyEngine.JsonPath;

/// <summary>The result of a query: the selected nodes, in the order RFC 9535 defines, materialized once.</summary>
public sealed class NodeList : IReadOnlyList<JsonPathNode>
{
    private readonly JsonPathNode[] _items;
    private readonly int _count;

    internal NodeList(JsonPathNode[] items, int count)
    {
        _items = items;
        _count = count;
    }

    /// <summary>A list with no nodes.</summary>
    public static NodeList Empty { get; } = new([], 0);

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public JsonPathNode this[int index] =>
        (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The nodes as a span, for allocation-free iteration.</summary>
    public ReadOnlySpan<JsonPathNode> AsSpan() => _items.AsSpan(0, _count);

    /// <summary>Returns a struct enumerator over the nodes.</summary>
    public ReadOnlySpan<JsonPathNode>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<JsonPathNode> IEnumerable<JsonPathNode>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<JsonPathNode>)this).GetEnumerator();
}
