using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A LogicalType function result, or a NodesType one converted to "non-empty" (RFC 9535 §2.4.2).</summary>
internal sealed class FunctionTestExpression(FunctionCallExpression call) : LogicalExpression
{
    public override bool Evaluate(EvaluationContext context, JsonElement current)
    {
        var mark = context.ArgumentMark;
        var result = call.Invoke(context, current);
        var value = result.Type == FunctionType.Logical ? result.LogicalResult : result.NodesResult.Count > 0;
        context.ReleaseArguments(mark);
        return value;
    }
}
