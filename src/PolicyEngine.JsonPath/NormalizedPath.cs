using System.Globalization;
using System.Text;

namespace PolicyEngine.JsonPath;

/// <summary>
/// The location of a node as an RFC 9535 §2.7 normalized path, e.g. <c>$['a'][0]['b\'c']</c>.
/// </summary>
/// <remarks>
/// Stored as a persistent linked list so that sibling results share their common prefix: appending a
/// step costs one small object, and the segment array and text are only built when somebody asks.
/// </remarks>
public sealed class NormalizedPath : IEquatable<NormalizedPath>
{
    // The last step is held as a name, or as an index when the name is null, rather than as a PathSegment, so a
    // path node is 48 bytes: one is allocated per emitted result (plus its unshared ancestors).
    private readonly NormalizedPath? _parent;
    private readonly string? _name;
    private readonly int _index;
    private readonly int _depth;
    private string? _text;

    private NormalizedPath()
    {
        _text = "$";
    }

    private NormalizedPath(NormalizedPath parent, PathSegment segment)
    {
        _parent = parent;
        _name = segment.Name;
        _index = segment.Index;
        _depth = parent._depth + 1;
    }

    private NormalizedPath(NormalizedPath parent, string name)
    {
        _parent = parent;
        _name = name;
        _index = -1;
        _depth = parent._depth + 1;
    }

    private NormalizedPath(NormalizedPath parent, int index)
    {
        _parent = parent;
        _index = index;
        _depth = parent._depth + 1;
    }

    /// <summary>The last segment of a path that is not the root.</summary>
    public PathSegment LastSegment => _parent is null ? throw new InvalidOperationException("The root path has no segments.")
        : _name is null ? new PathSegment(_index) : new PathSegment(_name);

    /// <summary>The path of the root node, <c>$</c>.</summary>
    public static NormalizedPath Root { get; } = new();

    /// <summary>The number of segments.</summary>
    public int Depth => _depth;

    /// <summary>The path without its last segment; null for the root.</summary>
    public NormalizedPath? Parent => _parent;

    /// <summary>The segments from the root down, member names and array indexes.</summary>
    public IReadOnlyList<PathSegment> Segments => _depth == 0 ? [] : BuildSegments();

    /// <summary>Returns this path extended by a member-name step.</summary>
    /// <param name="memberName">The member name.</param>
    public NormalizedPath Append(string memberName) =>
        new(this, memberName ?? throw new ArgumentNullException(nameof(memberName)));

    /// <summary>Returns this path extended by an array-index step.</summary>
    /// <param name="index">The non-negative index.</param>
    public NormalizedPath Append(int index) =>
        index < 0 ? throw new ArgumentOutOfRangeException(nameof(index), "Normalized paths hold non-negative indexes only.") : new(this, index);

    /// <summary>Returns this path extended by a segment.</summary>
    /// <param name="segment">The segment.</param>
    public NormalizedPath Append(PathSegment segment) => new(this, segment);

    /// <summary>Appends the segments of <paramref name="relative"/> after this path's segments.</summary>
    /// <param name="relative">A path interpreted relative to this one (its own root is ignored).</param>
    public NormalizedPath Concat(NormalizedPath relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var result = this;
        foreach (var segment in relative.Segments)
        {
            result = new NormalizedPath(result, segment);
        }

        return result;
    }

    /// <summary>
    /// Reads the text <see cref="ToString"/> writes (RFC 9535 §2.7: <c>$</c>, then <c>['name']</c> and <c>[index]</c>
    /// steps, names in the one spelling the RFC allows), e.g. a finding's path read back from a JSON report.
    /// </summary>
    /// <returns>The path, or null when the text is not a normalized path.</returns>
    public static NormalizedPath? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] != '$')
        {
            return null;
        }

        var path = Root;
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] != '[' || i + 1 >= text.Length)
            {
                return null;
            }

            i++;
            if (text[i] == '\'')
            {
                var name = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '\'')
                {
                    var c = text[i++];
                    if (c != '\\')
                    {
                        name.Append(c);
                        continue;
                    }

                    if (i >= text.Length)
                    {
                        return null;
                    }

                    var escaped = text[i++];
                    switch (escaped)
                    {
                        case '\'': name.Append('\''); break;
                        case '\\': name.Append('\\'); break;
                        case 'b': name.Append('\b'); break;
                        case 'f': name.Append('\f'); break;
                        case 'n': name.Append('\n'); break;
                        case 'r': name.Append('\r'); break;
                        case 't': name.Append('\t'); break;
                        case 'u' when i + 4 <= text.Length && int.TryParse(text.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                            name.Append((char)code);
                            i += 4;
                            break;
                        default: return null;
                    }
                }

                if (i + 1 >= text.Length || text[i + 1] != ']')
                {
                    return null;
                }

                path = path.Append(name.ToString());
                i += 2;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i >= text.Length || text[i] != ']' || (text[start] == '0' && i - start > 1) ||
                !int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return null;
            }

            path = path.Append(index);
            i++;
        }

        return path;
    }

    /// <summary>The normalized path text (RFC 9535 §2.7).</summary>
    public override string ToString()
    {
        if (_text is null)
        {
            var builder = new StringBuilder(16 * (_depth + 1));
            builder.Append('$');
            foreach (var segment in Segments)
            {
                AppendSegment(builder, segment);
            }

            _text = builder.ToString();
        }

        return _text;
    }

    /// <inheritdoc />
    public bool Equals(NormalizedPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._depth != _depth)
        {
            return false;
        }

        for (NormalizedPath? a = this, b = other; a is not null && b is not null; a = a._parent, b = b._parent)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }

            if (a._index != b._index || !string.Equals(a._name, b._name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NormalizedPath);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var p = this; p._parent is not null; p = p._parent)
        {
            hash.Add(p.LastSegment);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(NormalizedPath? left, NormalizedPath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(NormalizedPath? left, NormalizedPath? right) => !(left == right);

    private PathSegment[] BuildSegments()
    {
        var result = new PathSegment[_depth];
        var p = this;
        for (var i = _depth - 1; i >= 0; i--)
        {
            result[i] = p.LastSegment;
            p = p._parent!;
        }

        return result;
    }

    internal static void AppendSegment(StringBuilder builder, PathSegment segment)
    {
        if (!segment.IsName)
        {
            builder.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            return;
        }

        builder.Append("['");
        foreach (var c in segment.Name!)
        {
            // RFC 9535 §2.7 allows exactly one spelling per name, so every escape below is mandatory.
            switch (c)
            {
                case '\'': builder.Append("\\'"); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append("']");
    }
}
