namespace PolicyEngine.JsonPath;

/// <summary>The RFC 9535 §2.4.1 types of function parameters and results.</summary>
public enum FunctionType
{
    /// <summary>A JSON value or Nothing (<see cref="PathValue"/>).</summary>
    Value,

    /// <summary>LogicalTrue or LogicalFalse.</summary>
    Logical,

    /// <summary>A node list.</summary>
    Nodes,
}
