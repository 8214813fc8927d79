using System.Text;
using System.Text.Json;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>
/// Turns normalized paths into line:column positions in the snapshot file. JsonDocument keeps no positions, so
/// positions are found on demand: one streaming pass over the bytes answers a whole batch of paths, descending
/// only into the branches that some wanted path goes through and skipping everything else.
/// </summary>
public sealed class SnapshotLocator
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private int[]? _lineStarts;

    /// <summary>Creates a locator over the snapshot's UTF-8 bytes.</summary>
    public SnapshotLocator(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>Finds the 1-based line and column (UTF-16 units) where each path's value starts.</summary>
    /// <returns>A map from each path found to its position; paths not in the document are left out.</returns>
    public IReadOnlyDictionary<NormalizedPath, (int Line, int Column)> Locate(IEnumerable<NormalizedPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var trie = new TrieNode();
        foreach (var path in paths)
        {
            var node = trie;
            foreach (var segment in path.Segments)
            {
                node = node.Child(segment);
            }

            node.Targets.Add(path);
        }

        var found = new Dictionary<NormalizedPath, (int, int)>();
        if (trie.Children.Count == 0 && trie.Targets.Count == 0)
        {
            return found;
        }

        var reader = new Utf8JsonReader(_utf8.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        try
        {
            if (reader.Read())
            {
                Walk(ref reader, trie, found, new PositionCursor());
            }
        }
        catch (JsonException)
        {
            // A snapshot that loaded cannot be malformed; if the bytes changed underneath us, report what was found.
        }

        return found;
    }

    private void Walk(ref Utf8JsonReader reader, TrieNode node, Dictionary<NormalizedPath, (int, int)> found, PositionCursor cursor)
    {
        // The reader sits on the first token of the value this trie node describes.
        if (node.Targets.Count > 0)
        {
            var position = Position((int)reader.TokenStartIndex, cursor);
            foreach (var target in node.Targets)
            {
                found[target] = position;
            }
        }

        if (node.Children.Count == 0)
        {
            reader.Skip();
            return;
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (node.Children.TryGetValue(PathSegment.FromName(name), out var child))
                {
                    Walk(ref reader, child, found, cursor);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (node.Children.TryGetValue(PathSegment.FromIndex(index), out var child))
                {
                    Walk(ref reader, child, found, cursor);
                }
                else
                {
                    reader.Skip();
                }

                index++;
            }
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
                    case JsonTokenType.PropertyName when !names.Peek().Add(reader.GetString()!):
                        var (line, column) = Position((int)reader.TokenStartIndex);
                        return (reader.GetString()!, line, column);
                }
            }
        }
        catch (JsonException)
        {
            // Only called on documents that failed to parse; a syntax error is reported by the caller.
        }

        return null;
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

    private sealed class TrieNode
    {
        public Dictionary<PathSegment, TrieNode> Children { get; } = [];

        public List<NormalizedPath> Targets { get; } = [];

        public TrieNode Child(PathSegment segment)
        {
            if (!Children.TryGetValue(segment, out var child))
            {
                child = new TrieNode();
                Children[segment] = child;
            }

            return child;
        }
    }
}
