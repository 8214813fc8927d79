using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>a &amp;&amp; b &amp;&amp; …</c>, kept flat for the same reason as <see cref="OrExpression"/>.</summary>
internal sealed class AndExpression(LogicalExpression[] operands) : LogicalExpression
{
    public override bool Evaluate(EvaluationContext context, JsonElement current)
    {
        foreach (var operand in operands)
        {
            if (!operand.Evaluate(context, current))
            {
                return false;
            }
        }

        return true;
    }
}
