namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.4.8 <c>value(NodesType) -> ValueType</c>.</summary>
internal static class ValueFunction
{
    public static FunctionDefinition Create() =>
        new("value", [FunctionType.Nodes], FunctionType.Value, static args =>
        {
            var nodes = args[0].Nodes;
            return FunctionResult.FromValue(nodes.Count == 1 ? PathValue.FromElement(nodes[0]) : PathValue.Nothing);
        });
}
