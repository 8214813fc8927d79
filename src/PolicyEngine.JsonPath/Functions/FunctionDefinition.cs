namespace PolicyEngine.JsonPath;

/// <summary>The body of a function extension.</summary>
/// <param name="arguments">The evaluated arguments, one per declared parameter.</param>
/// <returns>A result of the function's declared result type.</returns>
public delegate FunctionResult FunctionImplementation(ReadOnlySpan<FunctionArgument> arguments);

/// <summary>
/// A function extension (RFC 9535 §2.4): a name, declared parameter and result types, and an implementation.
/// </summary>
/// <remarks>
/// The declared types are what the parser checks queries against, so a query that passes a non-singular
/// query where a ValueType is declared fails to parse rather than misbehaving at run time.
/// </remarks>
public sealed class FunctionDefinition
{
    /// <summary>Creates a function extension.</summary>
    /// <param name="name">The name, matching <c>[a-z][a-z0-9_]*</c>.</param>
    /// <param name="parameterTypes">The declared parameter types.</param>
    /// <param name="resultType">The declared result type.</param>
    /// <param name="implementation">The body; it must not throw and must return a result of <paramref name="resultType"/>.</param>
    public FunctionDefinition(string name, IReadOnlyList<FunctionType> parameterTypes, FunctionType resultType, FunctionImplementation implementation)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(parameterTypes);
        ArgumentNullException.ThrowIfNull(implementation);
        if (!IsValidName(name))
        {
            throw new ArgumentException("A function name must match [a-z][a-z0-9_]*.", nameof(name));
        }

        Name = name;
        ParameterTypes = [.. parameterTypes];
        ResultType = resultType;
        Implementation = implementation;
    }

    /// <summary>The function name used in queries.</summary>
    public string Name { get; }

    /// <summary>The declared parameter types.</summary>
    public IReadOnlyList<FunctionType> ParameterTypes { get; }

    /// <summary>The declared result type.</summary>
    public FunctionType ResultType { get; }

    /// <summary>The body.</summary>
    public FunctionImplementation Implementation { get; }

    /// <summary>For the built-in match and search definitions only: their regex cache, so the parser can resolve literal patterns once.</summary>
    internal RegexCache? BuiltInRegexCache { get; init; }

    internal static bool IsValidName(string name)
    {
        if (name.Length == 0 || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
