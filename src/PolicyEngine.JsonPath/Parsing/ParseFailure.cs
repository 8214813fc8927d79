namespace PolicyEngine.JsonPath;

/// <summary>Internal signal used to unwind the recursive-descent parser to its entry point.</summary>
#pragma warning disable CA1064 // Never escapes the assembly: the parser converts it to a JsonPathError.
internal sealed class ParseFailure(JsonPathError error) : Exception(error.Message)
#pragma warning restore CA1064
{
    public JsonPathError Error { get; } = error;
}
