namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.4.5 <c>count(NodesType) -> ValueType</c>.</summary>
internal static class CountFunction
{
    public static FunctionDefinition Create() =>
        new("count", [FunctionType.Nodes], FunctionType.Value, static args => FunctionResult.FromValue(PathValue.FromNumber((long)args[0].Nodes.Count)));
}
