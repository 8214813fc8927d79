using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace PolicyEngine.JsonPath;

/// <summary>
/// An immutable set of function extensions that queries may call. Queries are type-checked against the
/// registry they are parsed with; adding a function returns a new registry and leaves this one unchanged.
/// </summary>
public sealed class FunctionRegistry
{
    private readonly FrozenDictionary<string, FunctionDefinition> _functions;

    private FunctionRegistry(FrozenDictionary<string, FunctionDefinition> functions)
    {
        _functions = functions;
    }

    /// <summary>A registry with no functions at all.</summary>
    public static FunctionRegistry Empty { get; } = new(FrozenDictionary<string, FunctionDefinition>.Empty);

    /// <summary>The RFC 9535 functions: <c>length</c>, <c>count</c>, <c>match</c>, <c>search</c> and <c>value</c>.</summary>
    public static FunctionRegistry Default { get; } = CreateDefault();

    /// <summary>The functions in this registry.</summary>
    public IEnumerable<FunctionDefinition> Functions => _functions.Values;

    /// <summary>Returns a new registry with <paramref name="function"/> added, replacing any function of the same name.</summary>
    /// <param name="function">The function to add.</param>
    public FunctionRegistry With(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var copy = new Dictionary<string, FunctionDefinition>(_functions, StringComparer.Ordinal)
        {
            [function.Name] = function,
        };
        return new FunctionRegistry(copy.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Returns a new registry with a function added.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="parameterTypes">The declared parameter types.</param>
    /// <param name="resultType">The declared result type.</param>
    /// <param name="implementation">The body.</param>
    public FunctionRegistry Add(string name, IReadOnlyList<FunctionType> parameterTypes, FunctionType resultType, FunctionImplementation implementation) =>
        With(new FunctionDefinition(name, parameterTypes, resultType, implementation));

    /// <summary>Returns a new registry without the named function.</summary>
    /// <param name="name">The function name.</param>
    public FunctionRegistry Without(string name)
    {
        var copy = new Dictionary<string, FunctionDefinition>(_functions, StringComparer.Ordinal);
        copy.Remove(name);
        return new FunctionRegistry(copy.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Looks a function up by name.</summary>
    /// <param name="name">The function name.</param>
    /// <param name="function">The function, when found.</param>
    public bool TryGetFunction(string name, [NotNullWhen(true)] out FunctionDefinition? function) =>
        _functions.TryGetValue(name, out function);

    private static FunctionRegistry CreateDefault() => Empty
        .With(LengthFunction.Create())
        .With(CountFunction.Create())
        .With(MatchFunction.Create(search: false))
        .With(SearchFunction.Create())
        .With(ValueFunction.Create());
}
