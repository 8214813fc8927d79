using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A node selected by a query: its value and its location as a normalized path.</summary>
public readonly struct JsonPathNode : IEquatable<JsonPathNode>
{
    // Null only inside filter evaluation, where locations are never observed; public results always carry one.
    private readonly NormalizedPath? _location;

    internal JsonPathNode(JsonElement value, NormalizedPath? location)
    {
        Value = value;
        _location = location;
    }

    /// <summary>The selected value (a view into the queried document, not a copy).</summary>
    public JsonElement Value { get; }

    /// <summary>Where the value is in the queried document.</summary>
    public NormalizedPath Location => _location ?? NormalizedPath.Root;

    internal NormalizedPath? LocationOrNull => _location;

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
