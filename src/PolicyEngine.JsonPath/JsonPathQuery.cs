using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>
/// A compiled, immutable RFC 9535 JSONPath query. Parse once, evaluate many times and from many threads.
/// </summary>
public sealed class JsonPathQuery
{
    private readonly Segment[] _segments;

    // For singular queries: the steps, followed without building intermediate node lists.
    private readonly Selector[]? _singularSteps;

    // For queries made of child segments only: depth-first evaluation without intermediate node lists.
    private readonly ChainEvaluator? _chain;

    private JsonPathQuery(string text, Segment[] segments, bool specialize = true)
    {
        Text = text;
        _segments = segments;
        if (Array.TrueForAll(segments, s => s.IsSingular))
        {
            _singularSteps = Array.ConvertAll(segments, s => s.Selectors[0]);
        }
        else if (specialize)
        {
            _chain = ChainEvaluator.TryCreate(segments);
        }
    }

    /// <summary>The query text as given to <see cref="Parse"/>.</summary>
    public string Text { get; }

    /// <summary>
    /// The member name the query's last segment selects, when that segment is a single name selector (<c>$.a.b</c> and
    /// <c>$..b</c> give <c>b</c>; <c>$.a[*]</c> and <c>$.a['b','c']</c> give null). Tools use it to reason about which
    /// field a query reads, e.g. whether the collector types that field as a number.
    /// </summary>
    public string? FinalMemberName =>
        _segments.Length > 0 && _segments[^1].Selectors is [NameSelector name] ? name.Name : null;

    /// <summary>True when the query is an RFC 9535 singular query (only name and index child segments), selecting at most one node.</summary>
    public bool IsSingular => _singularSteps is not null;

    /// <summary>Compiles a query.</summary>
    /// <param name="text">The query text.</param>
    /// <param name="functions">The function extensions the query may call; <see cref="FunctionRegistry.Default"/> when null.</param>
    /// <exception cref="JsonPathParseException">The text is not a well-formed, well-typed query.</exception>
    public static JsonPathQuery Parse(string text, FunctionRegistry? functions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var query, out var error, functions) ? query : throw new JsonPathParseException(error);
    }

    /// <summary>Compiles a query, returning a diagnostic instead of throwing when the text is invalid.</summary>
    /// <param name="text">The query text.</param>
    /// <param name="query">The compiled query on success.</param>
    /// <param name="error">The position and message on failure.</param>
    /// <param name="functions">The function extensions the query may call; <see cref="FunctionRegistry.Default"/> when null.</param>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPathQuery? query, [NotNullWhen(false)] out JsonPathError? error, FunctionRegistry? functions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Parser.TryParse(text, functions ?? FunctionRegistry.Default, out var segments, out error))
        {
            query = new JsonPathQuery(text, segments);
            return true;
        }

        query = null;
        return false;
    }

    /// <summary>Compiles a query without the fast paths (chain walk, in-place literal comparison, precompiled regex), for tests.</summary>
    internal static JsonPathQuery ParseGeneral(string text, FunctionRegistry? functions = null) =>
        Parser.TryParse(text, functions ?? FunctionRegistry.Default, out var segments, out var error, specialize: false)
            ? new JsonPathQuery(text, segments, specialize: false)
            : throw new JsonPathParseException(error);

    /// <summary>Selects the nodes of <paramref name="root"/> that the query designates, each with its normalized path.</summary>
    /// <param name="root">The root node, typically <see cref="JsonDocument.RootElement"/>. It is not copied.</param>
    public NodeList Evaluate(JsonElement root) => Evaluate(root, null);

    /// <summary>
    /// Selects the nodes of <paramref name="root"/> that the query designates, using <paramref name="index"/> for O(1)
    /// access to the elements of large arrays. The result is identical to <see cref="Evaluate(JsonElement)"/>.
    /// </summary>
    /// <param name="root">The root node, typically <see cref="JsonDocument.RootElement"/>. It is not copied.</param>
    /// <param name="index">An index built by <see cref="JsonPathDocumentIndex.Build"/> for this same <paramref name="root"/>, or null.</param>
    /// <exception cref="ArgumentException"><paramref name="index"/> was built for a different root.</exception>
    public NodeList Evaluate(JsonElement root, JsonPathDocumentIndex? index) => Evaluate(root, index, null);

    /// <summary>
    /// Selects the nodes of <paramref name="root"/> that the query designates, spending at most
    /// <paramref name="budget"/>: for queries written by someone else, whose result can grow with a power of the
    /// document's size (<c>$..*..*..*</c>).
    /// </summary>
    /// <param name="root">The root node. It is not copied.</param>
    /// <param name="index">An index built for this same <paramref name="root"/>, or null.</param>
    /// <param name="budget">The bound on the evaluation's work, or null for none.</param>
    /// <exception cref="JsonPathBudgetExceededException">The evaluation needed more than the budget.</exception>
    public NodeList Evaluate(JsonElement root, JsonPathDocumentIndex? index, JsonPathBudget? budget)
    {
        if (index is not null && !index.IsFor(root))
        {
            throw new ArgumentException("The document index was built for a different root element.", nameof(index));
        }

        if (_singularSteps is not null)
        {
            return EvaluateSingular(root, index);
        }

        if (_chain is not null)
        {
            return _chain.Evaluate(root, index, budget);
        }

        return EvaluateSegments(root, index, budget);
    }

    /// <summary>The general segment-by-segment evaluation, also used by tests to check the fast paths against it.</summary>
    internal NodeList EvaluateSegments(JsonElement root, JsonPathDocumentIndex? index = null, JsonPathBudget? budget = null)
    {
        var context = new EvaluationContext(root, index, budget);
        var result = new NodeBuffer { Budget = budget };
        Segment.Run(_segments, root, NormalizedPath.Root, context, result);
        return result.ToNodeList();
    }

    /// <summary>Returns the value the singular query selects, without building a path; false when it selects nothing or the query is not singular.</summary>
    /// <param name="root">The root node.</param>
    /// <param name="value">The selected value.</param>
    public bool TryGetSingle(JsonElement root, out JsonElement value)
    {
        value = root;
        if (_singularSteps is null)
        {
            value = default;
            return false;
        }

        foreach (var step in _singularSteps)
        {
            var found = step is NameSelector name ? name.TryGet(value, out value) : ((IndexSelector)step).TryGet(value, out value, out _);
            if (!found)
            {
                value = default;
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private NodeList EvaluateSingular(JsonElement root, JsonPathDocumentIndex? index)
    {
        // Paths are built only once the whole chain resolved, so a miss allocates nothing but the empty result.
        Span<int> indexes = _singularSteps!.Length <= 32 ? stackalloc int[_singularSteps.Length] : new int[_singularSteps.Length];
        var value = root;
        for (var i = 0; i < _singularSteps.Length; i++)
        {
            var step = _singularSteps[i];
            bool found;
            if (step is NameSelector name)
            {
                found = name.TryGet(value, out value);
            }
            else
            {
                found = ((IndexSelector)step).TryGet(value, out value, out indexes[i], index);
            }

            if (!found)
            {
                return NodeList.Empty;
            }
        }

        var path = NormalizedPath.Root;
        for (var i = 0; i < _singularSteps.Length; i++)
        {
            path = _singularSteps[i] is NameSelector name ? path.Append(name.Name) : path.Append(indexes[i]);
        }

        return new NodeList([new JsonPathNode(value, path)], 1);
    }
}
