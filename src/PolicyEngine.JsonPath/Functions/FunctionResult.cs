using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>The result of a function extension; its type must match the function's declared result type.</summary>
public readonly struct FunctionResult
{
    private readonly PathValue _value;
    private readonly bool _logical;
    private readonly IReadOnlyList<JsonElement>? _nodes;

    private FunctionResult(FunctionType type, PathValue value, bool logical, IReadOnlyList<JsonElement>? nodes)
    {
        Type = type;
        _value = value;
        _logical = logical;
        _nodes = nodes;
    }

    /// <summary>The type of the result.</summary>
    public FunctionType Type { get; }

    internal PathValue ValueResult => _value;

    internal bool LogicalResult => _logical;

    internal IReadOnlyList<JsonElement> NodesResult => _nodes ?? [];

    /// <summary>A ValueType result.</summary>
    /// <param name="value">The value (may be <see cref="PathValue.Nothing"/>).</param>
    public static FunctionResult FromValue(PathValue value) => new(FunctionType.Value, value, false, null);

    /// <summary>A LogicalType result.</summary>
    /// <param name="value">The logical value.</param>
    public static FunctionResult FromLogical(bool value) => new(FunctionType.Logical, default, value, null);

    /// <summary>A NodesType result.</summary>
    /// <param name="nodes">The node values.</param>
    public static FunctionResult FromNodes(IReadOnlyList<JsonElement> nodes) =>
        new(FunctionType.Nodes, default, false, nodes ?? throw new ArgumentNullException(nameof(nodes)));
}
