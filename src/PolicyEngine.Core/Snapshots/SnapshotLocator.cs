using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// Turns normalized paths into line:column positions in the snapshot file. JsonDocument keeps no positions, so
/// positions are found on demand, for a whole batch of paths at once: in the document parsed from these bytes when
/// there is one (each path's element, whose bytes are a slice of the file, gives its offset), otherwise by one
/// streaming pass over the bytes, descending only into the branches that some wanted path goes through.
/// </summary>
public sealed class SnapshotLocator
{
    /// <summary>Arrays at least this long get a table of their elements while a batch is located, for O(1) indexing.</summary>
    private const int LargeArray = 1024;

    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly JsonElement? _root;
    private readonly SnapshotPart? _part;
    private int[]? _lineStarts;

    /// <summary>Creates a locator over the snapshot's UTF-8 bytes.</summary>
    public SnapshotLocator(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>
    /// Creates a locator over the snapshot's UTF-8 bytes and the document parsed from exactly those bytes (the
    /// document must not be a copy: the offsets of its elements are read from where their bytes are).
    /// </summary>
    public SnapshotLocator(ReadOnlyMemory<byte> utf8, JsonElement root)
        : this(utf8, root, null)
    {
    }

    /// <summary>
    /// A locator over one part of a snapshot file (<see cref="SnapshotParts"/>): the paths asked for are the file's,
    /// and so are the lines and columns given back.
    /// </summary>
    internal SnapshotLocator(ReadOnlyMemory<byte> utf8, JsonElement root, SnapshotPart? part)
        : this(utf8)
    {
        _ = JsonMarshal.GetRawUtf8Value(root); // fails now, not while locating, for a default or disposed element
        _root = root;
        _part = part;
    }


    /// <summary>Finds the 1-based line and column (UTF-16 units) where each path's value starts.</summary>
    /// <returns>A map from each path found to its position; paths not in the document are left out.</returns>
    public IReadOnlyDictionary<NormalizedPath, (int Line, int Column)> Locate(IEnumerable<NormalizedPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return _root is { } root ? LocateInDocument(root, paths) : LocateByWalking(paths);
    }

    /// <summary>
    /// Finds each path's element in the document and its offset in the bytes; the positions are then counted in
    /// offset order, as a walk would meet them. The cost is the paths' depth, not the file's size: a walk read all
    /// 751 MB of a 10,000-account snapshot to place the findings of a report.
    /// </summary>
    private Dictionary<NormalizedPath, (int, int)> LocateInDocument(JsonElement root, IEnumerable<NormalizedPath> paths)
    {
        var tables = new Dictionary<int, JsonElement[]>();
        var located = new List<(int Offset, NormalizedPath Path)>();
        foreach (var path in paths)
        {
            if ((_part is null ? path : _part.ToDocument(path)) is { } inDocument && Find(root, inDocument, tables) is { } element)
            {
                located.Add((OffsetOf(element), path));
            }
        }

        located.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var found = new Dictionary<NormalizedPath, (int, int)>(located.Count);
        var cursor = new PositionCursor();
        var partCursor = new SnapshotPart.PositionCursor();
        foreach (var (offset, path) in located)
        {
            found[path] = _part is null ? Position(offset, cursor) : _part.Position(offset, partCursor);
        }

        return found;
    }

    /// <summary>The element at <paramref name="path"/>, or null when the document has none there.</summary>
    private JsonElement? Find(JsonElement root, NormalizedPath path, Dictionary<int, JsonElement[]> tables)
    {
        if (path.Parent is not { } parent)
        {
            return root;
        }

        if (Find(root, parent, tables) is not { } container)
        {
            return null;
        }

        var segment = path.LastSegment;
        if (segment.IsName)
        {
            return container.ValueKind == JsonValueKind.Object && container.TryGetProperty(segment.Name!, out var member) ? member : null;
        }

        if (container.ValueKind != JsonValueKind.Array || container.GetArrayLength() is var length && segment.Index >= length)
        {
            return null;
        }

        if (length < LargeArray)
        {
            return container[segment.Index];
        }

        // JsonElement's indexer walks the elements before the one asked for; a large array is walked once.
        var key = OffsetOf(container);
        if (!tables.TryGetValue(key, out var elements))
        {
            elements = new JsonElement[length];
            var i = 0;
            foreach (var element in container.EnumerateArray())
            {
                elements[i++] = element;
            }

            tables.Add(key, elements);
        }

        return elements[segment.Index];
    }

    /// <summary>Where an element's bytes start in the snapshot: its bytes are a slice of the ones the document was parsed from.</summary>
    private int OffsetOf(JsonElement element) =>
        (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(_utf8.Span), ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(element)));

    private Dictionary<NormalizedPath, (int, int)> LocateByWalking(IEnumerable<NormalizedPath> paths)
    {
        var trie = new PathTrie();
        foreach (var path in paths)
        {
            trie.Add(path);
        }

        var found = new Dictionary<NormalizedPath, (int, int)>(trie.TargetCount);
        if (trie.TargetCount == 0)
        {
            return found;
        }

        trie.Freeze();
        var reader = new Utf8JsonReader(_utf8.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        try
        {
            if (reader.Read())
            {
                Walk(ref reader, trie, PathTrie.Root, found, new PositionCursor());
            }
        }
        catch (JsonException)
        {
            // A snapshot that loaded cannot be malformed; if the bytes changed underneath us, report what was found.
        }

        return found;
    }

    private void Walk(ref Utf8JsonReader reader, PathTrie trie, int node, Dictionary<NormalizedPath, (int, int)> found, PositionCursor cursor)
    {
        // The reader sits on the first token of the value this trie node describes. Nothing below allocates per
        // token: member names are compared as UTF-8 bytes and array elements are matched against sorted indexes.
        var targets = trie.Targets(node);
        if (!targets.IsEmpty)
        {
            var position = Position((int)reader.TokenStartIndex, cursor);
            foreach (var target in targets)
            {
                found[target] = position;
            }
        }

        if (reader.TokenType == JsonTokenType.StartObject && trie.HasNames(node))
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var child = trie.FindName(ref reader, node);
                reader.Read();
                if (child >= 0)
                {
                    Walk(ref reader, trie, child, found, cursor);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray && trie.HasIndexes(node))
        {
            // Elements come in index order, and so do the wanted indexes: one pass over both finds every match.
            var indexes = trie.Indexes(node, out var children);
            var next = 0;
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (next < indexes.Length && indexes[next] == index)
                {
                    Walk(ref reader, trie, children[next], found, cursor);
                    next++;
                }
                else
                {
                    reader.Skip();
                }

                index++;
            }
        }
        else
        {
            // A leaf, or a value of another shape than the wanted paths expect: nothing below it is wanted.
            reader.Skip();
        }
    }

    /// <summary>The first member name that repeats within one object, with its 1-based position, or null.</summary>
    public (string Name, int Line, int Column)? FindDuplicateMember()
    {
        var reader = new Utf8JsonReader(_utf8.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName when MemberName(ref reader) is var name && !names.Peek().Add(name):
                        var (line, column) = Position((int)reader.TokenStartIndex);
                        return (name, line, column);
                }
            }
        }
        catch (JsonException)
        {
            // Only called on documents that failed to parse; a syntax error is reported by the caller.
        }

        return null;
    }

    // A name that is not UTF-8 cannot be decoded (GetString throws); compared with U+FFFD in place of its bad bytes, it
    // still matches its own repetition. The document failed to parse, so its syntax error is what gets reported.
    private static string MemberName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    private (int Line, int Column) Position(int byteOffset, PositionCursor? cursor = null)
    {
        _lineStarts ??= ComputeLineStarts(_utf8.Span);
        var line = Array.BinarySearch(_lineStarts, byteOffset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        // Positions are asked for in document order, so count characters from the previous position on the same
        // line rather than from the line start: a compact snapshot is one very long line, and recounting from its
        // start for every finding would make locating quadratic in the file size.
        int column;
        if (cursor is not null && cursor.Line == line && byteOffset >= cursor.Offset)
        {
            column = cursor.Column + Encoding.UTF8.GetCharCount(_utf8.Span[cursor.Offset..byteOffset]);
        }
        else
        {
            column = Encoding.UTF8.GetCharCount(_utf8.Span[_lineStarts[line]..byteOffset]) + 1;
        }

        if (cursor is not null)
        {
            (cursor.Line, cursor.Offset, cursor.Column) = (line, byteOffset, column);
        }

        return (line + 1, column);
    }

    /// <summary>The last position computed during one pass, so the next one can count on from it.</summary>
    private sealed class PositionCursor
    {
        public int Line { get; set; } = -1;

        public int Offset { get; set; }

        public int Column { get; set; }
    }

    private static int[] ComputeLineStarts(ReadOnlySpan<byte> bytes)
    {
        var starts = new List<int> { 0 };
        var offset = 0;
        while (true)
        {
            var next = bytes[offset..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            offset += next + 1;
            starts.Add(offset);
        }

        return [.. starts];
    }

    /// <summary>
    /// The wanted paths as a trie held in flat arrays, not one object per node: a batch can hold a path per finding,
    /// and a few small objects per path cost more to build and collect than the walk itself. Nodes are numbers
    /// (the root is 0); edges are collected in two maps while paths are added, then <see cref="Freeze"/> lays each
    /// node's children out contiguously: member names as indexes into a table of distinct names kept as UTF-8
    /// bytes, array indexes sorted ascending.
    /// </summary>
    private sealed class PathTrie
    {
        public const int Root = 0;

        /// <summary>Above this many member names under one node, a name is found by hash rather than by a scan.</summary>
        private const int LinearNameLimit = 8;

        private readonly Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];
        private readonly Dictionary<long, int> _nameEdges = [];
        private readonly Dictionary<long, int> _indexEdges = [];
        private readonly List<NormalizedPath> _targets = [];
        private readonly List<int> _targetNodes = [];
        private int _nodeCount = 1;

        // Laid out by Freeze.
        private byte[]?[] _utf8 = [];
        private Dictionary<int, int>? _nameByHash;
        private int[] _nextWithSameHash = [];
        private int[] _targetStart = [];
        private NormalizedPath[] _targetsByNode = [];
        private int[] _nameStart = [];
        private int[] _nameEdgeNames = [];
        private int[] _nameEdgeChildren = [];
        private int[] _indexStart = [];
        private int[] _indexEdgeIndexes = [];
        private int[] _indexEdgeChildren = [];

        public int TargetCount => _targets.Count;

        public void Add(NormalizedPath path)
        {
            var node = Root;
            var segments = path.Segments;
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                if (segment.Name is { } name)
                {
                    if (!_nameIds.TryGetValue(name, out var id))
                    {
                        id = _names.Count;
                        _names.Add(name);
                        _nameIds[name] = id;
                    }

                    node = Step(_nameEdges, node, id);
                }
                else
                {
                    node = Step(_indexEdges, node, segment.Index);
                }
            }

            _targets.Add(path);
            _targetNodes.Add(node);
        }

        private int Step(Dictionary<long, int> edges, int node, int key)
        {
            ref var child = ref CollectionsMarshal.GetValueRefOrAddDefault(edges, Key(node, key), out var exists);
            if (!exists)
            {
                child = _nodeCount++;
            }

            return child;
        }

        /// <summary>Lays out targets and children per node; no path is added after this.</summary>
        public void Freeze()
        {
            _utf8 = new byte[]?[_names.Count];
            for (var id = 0; id < _names.Count; id++)
            {
                // A name that is not well-formed UTF-16 (a lone surrogate) equals no member name the reader can
                // produce, so it gets no bytes rather than a replacement character's, which could match.
                var name = _names[id];
                var utf8 = new byte[Encoding.UTF8.GetByteCount(name)];
                if (Utf8.FromUtf16(name, utf8, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done
                    && written == utf8.Length)
                {
                    _utf8[id] = utf8;
                }
            }

            // Targets grouped by node, in the order they were added.
            _targetStart = new int[_nodeCount + 1];
            foreach (var node in _targetNodes)
            {
                _targetStart[node + 1]++;
            }

            Accumulate(_targetStart);
            _targetsByNode = new NormalizedPath[_targets.Count];
            var fill = (int[])_targetStart.Clone();
            for (var t = 0; t < _targets.Count; t++)
            {
                _targetsByNode[fill[_targetNodes[t]]++] = _targets[t];
            }

            (_nameStart, _nameEdgeNames, _nameEdgeChildren) = Group(_nameEdges, _nodeCount);
            (_indexStart, _indexEdgeIndexes, _indexEdgeChildren) = Group(_indexEdges, _nodeCount);
            for (var node = 0; node < _nodeCount; node++)
            {
                var (start, end) = (_indexStart[node], _indexStart[node + 1]);
                if (end - start > 1)
                {
                    Array.Sort(_indexEdgeIndexes, _indexEdgeChildren, start, end - start);
                }

                if (_nameStart[node + 1] - _nameStart[node] > LinearNameLimit && _nameByHash is null)
                {
                    IndexNamesByHash();
                }
            }
        }

        private void IndexNamesByHash()
        {
            _nameByHash = [];
            _nextWithSameHash = new int[_utf8.Length];
            for (var id = 0; id < _utf8.Length; id++)
            {
                _nextWithSameHash[id] = -1;
                if (_utf8[id] is { } utf8)
                {
                    ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_nameByHash, Hash(utf8), out var exists);
                    if (exists)
                    {
                        _nextWithSameHash[id] = first;
                    }

                    first = id;
                }
            }
        }

        /// <summary>Edges (parent, key) → child grouped by parent: start offsets per node, then keys and children.</summary>
        private static (int[] Start, int[] Keys, int[] Children) Group(Dictionary<long, int> edges, int nodeCount)
        {
            var start = new int[nodeCount + 1];
            foreach (var edge in edges.Keys)
            {
                start[(int)(edge >> 32) + 1]++;
            }

            Accumulate(start);
            var keys = new int[edges.Count];
            var children = new int[edges.Count];
            var fill = (int[])start.Clone();
            foreach (var (edge, child) in edges)
            {
                var at = fill[(int)(edge >> 32)]++;
                keys[at] = (int)edge;
                children[at] = child;
            }

            return (start, keys, children);
        }

        private static void Accumulate(int[] counts)
        {
            for (var i = 1; i < counts.Length; i++)
            {
                counts[i] += counts[i - 1];
            }
        }

        public ReadOnlySpan<NormalizedPath> Targets(int node) =>
            _targetsByNode.AsSpan(_targetStart[node], _targetStart[node + 1] - _targetStart[node]);

        public bool HasNames(int node) => _nameStart[node + 1] > _nameStart[node];

        public bool HasIndexes(int node) => _indexStart[node + 1] > _indexStart[node];

        /// <summary>The node's wanted array indexes, ascending, and the child for each.</summary>
        public ReadOnlySpan<int> Indexes(int node, out ReadOnlySpan<int> children)
        {
            var (start, length) = (_indexStart[node], _indexStart[node + 1] - _indexStart[node]);
            children = _indexEdgeChildren.AsSpan(start, length);
            return _indexEdgeIndexes.AsSpan(start, length);
        }

        /// <summary>The child of <paramref name="node"/> for the member name the reader sits on, or -1.</summary>
        public int FindName(ref Utf8JsonReader reader, int node)
        {
            var (start, end) = (_nameStart[node], _nameStart[node + 1]);

            // An escaped name (rare) is left to the scan below: the reader unescapes as it compares.
            if (end - start > LinearNameLimit && !reader.ValueIsEscaped)
            {
                var raw = reader.ValueSpan;
                if (_nameByHash!.TryGetValue(Hash(raw), out var id))
                {
                    for (; id >= 0; id = _nextWithSameHash[id])
                    {
                        if (raw.SequenceEqual(_utf8[id]))
                        {
                            return _nameEdges.TryGetValue(Key(node, id), out var child) ? child : -1;
                        }
                    }
                }

                return -1;
            }

            for (var e = start; e < end; e++)
            {
                if (_utf8[_nameEdgeNames[e]] is { } utf8 && reader.ValueTextEquals(utf8))
                {
                    return _nameEdgeChildren[e];
                }
            }

            return -1;
        }

        private static long Key(int node, int key) => ((long)node << 32) | (uint)key;

        private static int Hash(ReadOnlySpan<byte> utf8)
        {
            var hash = default(HashCode);
            hash.AddBytes(utf8);
            return hash.ToHashCode();
        }
    }
}
