using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>!expr</c>.</summary>
internal sealed class NotExpression(LogicalExpression operand) : LogicalExpression
{
    public override bool Evaluate(EvaluationContext context, JsonElement current) => !operand.Evaluate(context, current);
}
