using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>An expression of RFC 9535's ValueType: a literal, a singular query or a ValueType function.</summary>
internal abstract class ValueExpression
{
    public abstract PathValue Evaluate(EvaluationContext context, JsonElement current);
}

/// <summary>A literal operand.</summary>
internal sealed class LiteralExpression(PathValue value) : ValueExpression
{
    public PathValue Value => value;

    public override PathValue Evaluate(EvaluationContext context, JsonElement current) => value;
}

/// <summary>A singular query operand: its one node's value, or Nothing.</summary>
internal sealed class SingularQueryExpression(QueryExpression query) : ValueExpression
{
    public QueryExpression Query => query;

    public override PathValue Evaluate(EvaluationContext context, JsonElement current) =>
        query.TryNavigate(context, current, out var value) ? PathValue.FromElement(value) : PathValue.Nothing;
}

/// <summary>A ValueType function call operand.</summary>
internal sealed class FunctionValueExpression(FunctionCallExpression call) : ValueExpression
{
    public override PathValue Evaluate(EvaluationContext context, JsonElement current)
    {
        var mark = context.ArgumentMark;
        var value = call.Invoke(context, current).ValueResult;
        context.ReleaseArguments(mark);
        return value;
    }
}
