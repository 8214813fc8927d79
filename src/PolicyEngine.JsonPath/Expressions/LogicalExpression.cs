using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>An expression of RFC 9535's LogicalType, evaluated against the current node <c>@</c>.</summary>
internal abstract class LogicalExpression
{
    public abstract bool Evaluate(EvaluationContext context, JsonElement current);
}
