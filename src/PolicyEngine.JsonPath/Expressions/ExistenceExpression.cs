using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A query used as a test: true when it selects at least one node, whatever the node's value.</summary>
internal sealed class ExistenceExpression(QueryExpression query) : LogicalExpression
{
    public override bool Evaluate(EvaluationContext context, JsonElement current) => query.Exists(context, current);
}
