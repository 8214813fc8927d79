using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>An evaluated argument passed to a function extension, typed by the declared parameter type.</summary>
/// <remarks>
/// A <see cref="FunctionType.Nodes"/> argument's list is owned by the evaluator and reused after the call
/// returns: copy what you need, never keep the list.
/// </remarks>
public readonly struct FunctionArgument
{
    private readonly PathValue _value;
    private readonly bool _logical;
    private readonly IReadOnlyList<JsonElement>? _nodes;

    private FunctionArgument(FunctionType type, PathValue value, bool logical, IReadOnlyList<JsonElement>? nodes)
    {
        Type = type;
        _value = value;
        _logical = logical;
        _nodes = nodes;
    }

    /// <summary>The parameter type this argument satisfies.</summary>
    public FunctionType Type { get; }

    /// <summary>The value of a ValueType argument (possibly Nothing).</summary>
    public PathValue Value => Type == FunctionType.Value ? _value : throw new InvalidOperationException("The argument is not a ValueType.");

    /// <summary>The value of a LogicalType argument.</summary>
    public bool Logical => Type == FunctionType.Logical ? _logical : throw new InvalidOperationException("The argument is not a LogicalType.");

    /// <summary>The node values of a NodesType argument, in node-list order.</summary>
    public IReadOnlyList<JsonElement> Nodes => Type == FunctionType.Nodes ? _nodes! : throw new InvalidOperationException("The argument is not a NodesType.");

    /// <summary>Creates a ValueType argument.</summary>
    /// <param name="value">The value.</param>
    public static FunctionArgument FromValue(PathValue value) => new(FunctionType.Value, value, false, null);

    /// <summary>Creates a LogicalType argument.</summary>
    /// <param name="value">The logical value.</param>
    public static FunctionArgument FromLogical(bool value) => new(FunctionType.Logical, default, value, null);

    /// <summary>Creates a NodesType argument.</summary>
    /// <param name="nodes">The node values.</param>
    public static FunctionArgument FromNodes(IReadOnlyList<JsonElement> nodes) =>
        new(FunctionType.Nodes, default, false, nodes ?? throw new ArgumentNullException(nameof(nodes)));
}
