namespace PolicyEngine.JsonPath;

/// <summary>A diagnostic produced when a JSONPath query text cannot be compiled.</summary>
/// <param name="Position">The 0-based character offset into the query text where the problem was detected.</param>
/// <param name="Message">What the parser expected or why the query is not well-formed or not well-typed.</param>
public sealed record JsonPathError(int Position, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Message} (at position {Position})";
}
