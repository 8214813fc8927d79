namespace PolicyEngine.JsonPath;

/// <summary>One step of a <see cref="NormalizedPath"/>: either an object member name or an array index.</summary>
public readonly struct PathSegment : IEquatable<PathSegment>
{
    private readonly string? _name;
    private readonly int _index;

    internal PathSegment(string name)
    {
        _name = name;
        _index = -1;
    }

    internal PathSegment(int index)
    {
        _name = null;
        _index = index;
    }

    /// <summary>Creates a member-name segment.</summary>
    /// <param name="name">The member name.</param>
    public static PathSegment FromName(string name) => new(name ?? throw new ArgumentNullException(nameof(name)));

    /// <summary>Creates an array-index segment.</summary>
    /// <param name="index">The non-negative index.</param>
    public static PathSegment FromIndex(int index) =>
        index < 0 ? throw new ArgumentOutOfRangeException(nameof(index), "Normalized paths hold non-negative indexes only.") : new(index);

    /// <summary>True when this segment is a member name; false when it is an array index.</summary>
    public bool IsName => _name is not null;

    /// <summary>The member name, or null for an index segment.</summary>
    public string? Name => _name;

    /// <summary>The array index, or -1 for a name segment.</summary>
    public int Index => _name is null ? _index : -1;

    /// <inheritdoc />
    public bool Equals(PathSegment other) => _name is null
        ? other._name is null && _index == other._index
        : string.Equals(_name, other._name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PathSegment other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _name is null ? _index : StringComparer.Ordinal.GetHashCode(_name);

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        NormalizedPath.AppendSegment(builder, this);
        return builder.ToString();
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(PathSegment left, PathSegment right) => left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(PathSegment left, PathSegment right) => !left.Equals(right);
}
