namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.4.7 <c>search(ValueType, ValueType) -> LogicalType</c>: some substring must match.</summary>
internal static class SearchFunction
{
    public static FunctionDefinition Create() => MatchFunction.Create(search: true);
}
