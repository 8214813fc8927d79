using System.Text;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>left op right</c> over ValueType operands, with the RFC's rules for Nothing and mixed types.</summary>
internal sealed class ComparisonExpression(ValueExpression left, ComparisonOperator op, ValueExpression right) : LogicalExpression
{
    /// <summary>Builds the comparison, specialized for the common "singular query ==/!= literal" shape.</summary>
    public static LogicalExpression Create(ValueExpression left, ComparisonOperator op, ValueExpression right)
    {
        if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            if (left is SingularQueryExpression query && right is LiteralExpression literal && LiteralEqualsExpression.Supports(literal.Value))
            {
                return new LiteralEqualsExpression(query.Query, literal.Value, op == ComparisonOperator.NotEqual);
            }

            if (right is SingularQueryExpression query2 && left is LiteralExpression literal2 && LiteralEqualsExpression.Supports(literal2.Value))
            {
                return new LiteralEqualsExpression(query2.Query, literal2.Value, op == ComparisonOperator.NotEqual);
            }
        }

        return new ComparisonExpression(left, op, right);
    }

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

/// <summary>
/// <c>@.a.b == 'text'</c> (or <c>!=</c>, or against <c>true</c>, <c>false</c>, <c>null</c>): navigates the singular
/// query and compares in place, strings as UTF-8 against the literal's pre-encoded bytes, so no .NET string and
/// no <see cref="PathValue"/> is built per node. Same results as <see cref="ValueComparer.AreEqual"/>: Nothing
/// equals no literal, and values of another kind are unequal.
/// </summary>
internal sealed class LiteralEqualsExpression : LogicalExpression
{
    private readonly QueryExpression _query;
    private readonly JsonValueKind _kind;
    private readonly byte[]? _utf8;
    private readonly bool _negate;

    public LiteralEqualsExpression(QueryExpression query, PathValue literal, bool negate)
    {
        _query = query;
        _kind = literal.ValueKind;
        _negate = negate;
        if (literal.TryGetString(out var text))
        {
            _utf8 = Encoding.UTF8.GetBytes(text);
        }
    }

    public static bool Supports(PathValue literal) =>
        literal.ValueKind is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null
        && !literal.TryGetElement(out _);

    public override bool Evaluate(EvaluationContext context, JsonElement current)
    {
        var equal = _query.TryNavigate(context, current, out var value)
            && value.ValueKind == _kind
            && (_utf8 is null || value.ValueEquals(_utf8));
        return equal != _negate;
    }
}
