using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>A range of a part's document copied verbatim from the file, with the line and UTF-16 column (0-based) where it starts there.</summary>
internal readonly record struct PartSegment(int Start, int Length, int Line, int Column);

/// <summary>
/// What a snapshot loaded as one part of a file (<see cref="SnapshotParts"/>) knows beyond its own document: the
/// index in the file of each record it holds, where its bytes are in the file, which accounts it answers for, and
/// whether a rule read past them.
/// </summary>
internal sealed class SnapshotPart(SnapshotParts parts, int index, int[] evidence, int[] resources, HashSet<int>? heldCalls, byte[] document, PartSegment[] segments)
{
    private int _readOutside;

    [ThreadStatic]
    private static bool t_readOutside;

    /// <summary>The part's number (-1 for the header, which holds no records; <see cref="SnapshotParts.AcrossAccounts"/> for the part across accounts).</summary>
    public int Index { get; } = index;

    /// <summary>The index in the file's evidence array of the part's record at <paramref name="position"/>.</summary>
    public int EvidenceIndex(int position) => evidence[position];

    /// <summary>The index in the file's resources array of the part's item at <paramref name="position"/>.</summary>
    public int ResourceIndex(int position) => resources[position];

    /// <summary>True once a lookup asked for records this part does not hold but the file does.</summary>
    public bool ReadOutside => Volatile.Read(ref _readOutside) != 0;

    /// <summary>
    /// Whether this thread read past its part since <see cref="ClearThread"/>: which rule did, when (rule, subject) pairs
    /// run one at a time on each thread.
    /// </summary>
    public static bool ThreadReadOutside => t_readOutside;

    /// <summary>Starts watching this thread's reads (<see cref="ThreadReadOutside"/>).</summary>
    public static void ClearThread() => t_readOutside = false;

    /// <summary>Notes a lookup of <paramref name="account"/>'s records of a call: <see cref="ReadOutside"/> when another part holds them.</summary>
    public void Check(string service, string operation, string account)
    {
        if (!parts.Holds(Index, heldCalls, service, operation, account))
        {
            MarkOutside();
        }
    }

    /// <summary>Notes a read of every account's configuration items: <see cref="ReadOutside"/> when the part lacks some.</summary>
    public void CheckAllResources()
    {
        if (parts.LacksResources(resources))
        {
            MarkOutside();
        }
    }

    /// <summary>Notes a read of every account's evidence records, which a part never holds all of.</summary>
    public void CheckAllEvidence() => MarkOutside();

    private void MarkOutside()
    {
        t_readOutside = true;
        Volatile.Write(ref _readOutside, 1);
    }

    /// <summary>Whether the file has configuration items of <paramref name="type"/>, in this part or another.</summary>
    public bool HasResourcesOfType(string type) => parts.HasResourcesOfType(type);

    /// <summary>
    /// The path in the part's document of the file's <paramref name="path"/>: a record's index in the file becomes its
    /// index in the part; null when the part does not hold the record.
    /// </summary>
    public NormalizedPath? ToDocument(NormalizedPath path)
    {
        if (path.Depth < 2)
        {
            return path;
        }

        var steps = new NormalizedPath[path.Depth];
        var node = path;
        for (var i = steps.Length - 1; i >= 0; i--)
        {
            steps[i] = node;
            node = node.Parent!;
        }

        var array = steps[0].LastSegment;
        var record = steps[1].LastSegment;
        if (!array.IsName || record.IsName || array.Name is not ("evidence" or "resources"))
        {
            return path;
        }

        var position = Array.BinarySearch(array.Name == "evidence" ? evidence : resources, record.Index);
        if (position < 0)
        {
            return null;
        }

        var mapped = steps[0].Append(position);
        for (var i = 2; i < steps.Length; i++)
        {
            mapped = mapped.Append(steps[i].LastSegment);
        }

        return mapped;
    }

    /// <summary>
    /// The 1-based line and column (UTF-16 units) in the file of the part's byte at <paramref name="offset"/>. Offsets
    /// asked for in ascending order count on from the previous one (<paramref name="cursor"/>), as the locator does.
    /// </summary>
    public (int Line, int Column) Position(int offset, PositionCursor cursor)
    {
        var low = 0;
        var high = segments.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (segments[middle].Start <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var segment = segments[low];
        var (from, line, column) = cursor.Segment == low && offset >= cursor.Offset
            ? (cursor.Offset, cursor.Line, cursor.Column)
            : (segment.Start, segment.Line, segment.Column);
        TextPosition.Advance(document.AsSpan(from, offset - from), ref line, ref column);

        (cursor.Segment, cursor.Offset, cursor.Line, cursor.Column) = (low, offset, line, column);
        return (line, column + 1);
    }

    /// <summary>The last position counted, so the next one can count on from it.</summary>
    internal sealed class PositionCursor
    {
        public int Segment { get; set; } = -1;

        public int Offset { get; set; }

        public int Line { get; set; }

        public int Column { get; set; }
    }
}
