using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A node selected by a query: its value and its location as a normalized path.</summary>
public readonly struct JsonPathNode : IEquatable<JsonPathNode>
{
    // The location is kept as a materialized prefix plus up to two trailing steps, an index then a name, and
    // built on demand: results such as $['resources'][7]['resourceType'] then cost no object each, which keeps
    // a query with many results from filling the young generation with paths. A null prefix means "not
    // tracked" (only inside filter evaluation; public results always carry one).
    private readonly NormalizedPath? _prefix;
    private readonly string? _name;
    private readonly int _index;

    internal JsonPathNode(JsonElement value, NormalizedPath? location)
    {
        Value = value;
        _prefix = location;
        _name = null;
        _index = -1;
    }

    internal JsonPathNode(JsonElement value, NormalizedPath? prefix, int index, string? name)
    {
        Value = value;
        _prefix = prefix;
        _index = index;
        _name = name;
    }

    /// <summary>The selected value (a view into the queried document, not a copy).</summary>
    public JsonElement Value { get; }

    /// <summary>Where the value is in the queried document.</summary>
    public NormalizedPath Location => LocationOrNull ?? NormalizedPath.Root;

    internal NormalizedPath? LocationOrNull
    {
        get
        {
            var path = _prefix;
            if (path is null)
            {
                return null;
            }

            if (_index >= 0)
            {
                path = path.Append(_index);
            }

            return _name is null ? path : path.Append(_name);
        }
    }

    /// <inheritdoc />
    public bool Equals(JsonPathNode other) => Location.Equals(other.Location) && JsonElement.DeepEquals(Value, other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JsonPathNode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Location.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"{Location} = {Value.GetRawText()}";

    /// <summary>Equality operator.</summary>
    public static bool operator ==(JsonPathNode left, JsonPathNode right) => left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(JsonPathNode left, JsonPathNode right) => !left.Equals(right);
}
