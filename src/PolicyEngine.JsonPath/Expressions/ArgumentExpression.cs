using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A function argument, already converted at parse time to the parameter's declared type.</summary>
internal abstract class ArgumentExpression
{
    public abstract FunctionArgument Evaluate(EvaluationContext context, JsonElement current);
}

/// <summary>A ValueType argument.</summary>
internal sealed class ValueArgument(ValueExpression value) : ArgumentExpression
{
    public ValueExpression Value => value;

    public override FunctionArgument Evaluate(EvaluationContext context, JsonElement current) =>
        FunctionArgument.FromValue(value.Evaluate(context, current));
}

/// <summary>A LogicalType argument.</summary>
internal sealed class LogicalArgument(LogicalExpression logical) : ArgumentExpression
{
    public override FunctionArgument Evaluate(EvaluationContext context, JsonElement current) =>
        FunctionArgument.FromLogical(logical.Evaluate(context, current));
}

/// <summary>A NodesType argument given as a query.</summary>
internal sealed class QueryArgument(QueryExpression query) : ArgumentExpression
{
    public override FunctionArgument Evaluate(EvaluationContext context, JsonElement current) =>
        FunctionArgument.FromNodes(query.Select(context, current));
}

/// <summary>A NodesType argument given as a NodesType function call.</summary>
internal sealed class NodesFunctionArgument(FunctionCallExpression call) : ArgumentExpression
{
    public override FunctionArgument Evaluate(EvaluationContext context, JsonElement current)
    {
        // Copy into a buffer owned by the enclosing call so the inner call's scratch buffers can't be reused under it.
        var nodes = call.Invoke(context, current).NodesResult;
        var buffer = context.RentArgumentBuffer();
        for (var i = 0; i < nodes.Count; i++)
        {
            buffer.Add(nodes[i], null);
        }

        return FunctionArgument.FromNodes(buffer);
    }
}
