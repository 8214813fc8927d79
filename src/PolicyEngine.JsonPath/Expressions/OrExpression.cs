using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>a || b || …</c>, kept flat so long chains don't deepen the evaluation stack.</summary>
internal sealed class OrExpression(LogicalExpression[] operands) : LogicalExpression
{
    public override bool Evaluate(EvaluationContext context, JsonElement current)
    {
        foreach (var operand in operands)
        {
            if (operand.Evaluate(context, current))
            {
                return true;
            }
        }

        return false;
    }
}
