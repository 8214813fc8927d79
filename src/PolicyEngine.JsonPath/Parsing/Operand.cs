namespace PolicyEngine.JsonPath;

/// <summary>
/// What the parser found before it knows how it is used: a literal, a query, a function call or a logical
/// expression. Whether it is well-typed depends on the context (test, comparison or argument), so the check
/// is deferred to the point of use.
/// </summary>
internal sealed class Operand
{
    public int Position { get; init; }

    public LogicalExpression? Logical { get; init; }

    public PathValue? Literal { get; init; }

    public QueryExpression? Query { get; init; }

    public FunctionCallExpression? Function { get; init; }
}
