using System.Collections;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A growable node array reused across evaluation steps; it also exposes the values for NodesType arguments.</summary>
internal sealed class NodeBuffer : IReadOnlyList<JsonElement>
{
    private JsonPathNode[] _items;

    public NodeBuffer(int capacity = 8)
    {
        _items = new JsonPathNode[capacity];
    }

    public int Count { get; private set; }

    /// <summary>The evaluation's budget, charged one unit per node added; null when unbounded.</summary>
    public JsonPathBudget? Budget { get; set; }

    public JsonPathNode[] Items => _items;

    public JsonElement this[int index] => _items[index].Value;

    public ref readonly JsonPathNode NodeAt(int index) => ref _items[index];

    public void Add(JsonElement value, NormalizedPath? location)
    {
        Budget?.Spend();
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = new JsonPathNode(value, location);
    }

    /// <summary>Adds a node whose location is <paramref name="prefix"/>, then [index] when non-negative, then [name] when not null; built only on demand.</summary>
    public void Add(JsonElement value, NormalizedPath? prefix, int index, string? name)
    {
        Budget?.Spend();
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = new JsonPathNode(value, prefix, index, name);
    }

    public void EnsureCapacity(int capacity)
    {
        if (capacity > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(capacity, _items.Length * 2));
        }
    }

    public void Clear()
    {
        // Clearing drops references to paths so pooled buffers don't keep results alive.
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    public NodeList ToNodeList() => Count == 0 ? NodeList.Empty : new NodeList(_items, Count);

    public IEnumerator<JsonElement> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _items[i].Value;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
