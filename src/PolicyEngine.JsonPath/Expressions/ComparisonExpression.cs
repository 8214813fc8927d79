using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>left op right</c> over ValueType operands, with the RFC's rules for Nothing and mixed types.</summary>
internal sealed class ComparisonExpression(ValueExpression left, ComparisonOperator op, ValueExpression right) : LogicalExpression
{
    public override bool Evaluate(EvaluationContext context, JsonElement current)
    {
        var a = left.Evaluate(context, current);
        var b = right.Evaluate(context, current);
        return op switch
        {
            ComparisonOperator.Equal => ValueComparer.AreEqual(a, b),
            ComparisonOperator.NotEqual => !ValueComparer.AreEqual(a, b),
            ComparisonOperator.Less => ValueComparer.IsLess(a, b),
            ComparisonOperator.LessOrEqual => ValueComparer.IsLess(a, b) || ValueComparer.AreEqual(a, b),
            ComparisonOperator.Greater => ValueComparer.IsLess(b, a),
            _ => ValueComparer.IsLess(b, a) || ValueComparer.AreEqual(a, b),
        };
    }
}
