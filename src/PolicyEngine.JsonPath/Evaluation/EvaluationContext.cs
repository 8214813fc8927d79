using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>Per-evaluation state: the root node and pools of scratch buffers, so filters allocate nothing per node.</summary>
internal sealed class EvaluationContext
{
    private readonly Stack<NodeBuffer> _buffers = new();
    private readonly Stack<DescendantWalker> _walkers = new();
    private readonly List<NodeBuffer> _argumentBuffers = [];

    public EvaluationContext(JsonElement root, JsonPathDocumentIndex? index = null, JsonPathBudget? budget = null)
    {
        Root = root;
        Index = index;
        Budget = budget;
    }

    /// <summary>The caller's bound on the evaluation's work, if any.</summary>
    public JsonPathBudget? Budget { get; }

    public JsonElement Root { get; }

    /// <summary>The caller's random-access table for large arrays, if any.</summary>
    public JsonPathDocumentIndex? Index { get; }

    /// <summary>How many name selectors per query get a lookup hint.</summary>
    public const int HintSlots = 64;

    // Bit n set: name selector n has been found deep in an object during this evaluation, so scan from the end.
    private ulong _scanFromEnd;

    public bool ScansFromEnd(int slot) => (_scanFromEnd & (1UL << slot)) != 0;

    public void SetScanFromEnd(int slot) => _scanFromEnd |= 1UL << slot;

    // Member names already transcoded during this evaluation, so locations of many results reuse one string
    // per distinct name instead of transcoding it for every emitted node.
    private const int NameCacheSize = 64;
    private string?[]? _names;

    /// <summary>The property's name, reusing a string transcoded earlier in this evaluation when the bytes match.</summary>
    public string NameOf(JsonProperty property)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length is 0 or > 64)
        {
            return JsonStrings.Name(property);
        }

        var slot = (int)((raw[0] * 31u + raw[^1] * 7u + (uint)raw.Length * 131u) % NameCacheSize);
        _names ??= new string?[NameCacheSize];
        var cached = _names[slot];
        if (cached is not null && AsciiEquals(raw, cached))
        {
            return cached;
        }

        var name = JsonStrings.Name(property);
        _names[slot] = name;
        return name;
    }

    // True when the raw (unescaped-free, ASCII) bytes spell exactly the string; false for anything else.
    private static bool AsciiEquals(ReadOnlySpan<byte> raw, string name)
    {
        if (raw.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != name[i] || b >= 0x80 || b == (byte)'\\')
            {
                return false;
            }
        }

        return true;
    }

    public NodeBuffer RentBuffer() => _buffers.Count > 0 ? _buffers.Pop() : new NodeBuffer { Budget = Budget };

    public void ReturnBuffer(NodeBuffer buffer)
    {
        buffer.Clear();
        _buffers.Push(buffer);
    }

    public DescendantWalker RentWalker() => _walkers.Count > 0 ? _walkers.Pop() : new DescendantWalker();

    public void ReturnWalker(DescendantWalker walker) => _walkers.Push(walker);

    /// <summary>Marks the argument buffers in use, so those rented after the mark can be released together.</summary>
    public int ArgumentMark => _argumentBuffers.Count;

    public NodeBuffer RentArgumentBuffer()
    {
        var buffer = RentBuffer();
        _argumentBuffers.Add(buffer);
        return buffer;
    }

    public void ReleaseArguments(int mark)
    {
        for (var i = _argumentBuffers.Count - 1; i >= mark; i--)
        {
            ReturnBuffer(_argumentBuffers[i]);
            _argumentBuffers.RemoveAt(i);
        }
    }
}
