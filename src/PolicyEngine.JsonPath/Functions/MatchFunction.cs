namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.4.6 <c>match(ValueType, ValueType) -> LogicalType</c>: the whole string must match.</summary>
internal static class MatchFunction
{
    public static FunctionDefinition Create(bool search)
    {
        // Each definition owns its cache so that two registries never share mutable state.
        var cache = new RegexCache(search ? RegexCache.Mode.Search : RegexCache.Mode.Match);
        return new(search ? "search" : "match", [FunctionType.Value, FunctionType.Value], FunctionType.Logical, args =>
        {
            if (!args[0].Value.TryGetString(out var input) || !args[1].Value.TryGetString(out var pattern))
            {
                return FunctionResult.FromLogical(false);
            }

            var regex = cache.Get(pattern);
            return FunctionResult.FromLogical(regex is not null && regex.IsMatch(input));
        });
    }
}
