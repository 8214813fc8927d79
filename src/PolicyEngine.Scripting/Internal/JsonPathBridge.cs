using System.Collections.Concurrent;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Runtime;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Scripting.Internal;

/// <summary><c>ctx.query(value, path)</c>: RFC 9535 JSONPath through PolicyEngine.JsonPath.</summary>
internal static class JsonPathBridge
{
    // Predicates usually query with literal paths, so a small process-wide cache of parsed queries pays off.
    // Bounded so that scripts building paths dynamically cannot grow it without limit.
    private const int MaxCachedQueries = 1024;
    private static readonly ConcurrentDictionary<string, JsonPathQuery> Queries = new(StringComparer.Ordinal);

    // What one node costs at least while the evaluator works (node structs, buffers, paths), and what one result
    // costs once it is a JavaScript object: the budget and the charge are derived from the call's memory limit.
    private const long BytesPerNode = 64;
    private const long BytesPerResult = 160;

    private static string Cut(string text) => text.Length <= 80 ? text : text[..80] + "…";

    public static JsValue Query(SandboxEngine sandbox, JsValue value, string path)
    {
        var engine = sandbox.Engine;
        if (!Queries.TryGetValue(path, out var query))
        {
            if (!JsonPathQuery.TryParse(path, out query, out var error))
            {
                throw new JavaScriptException(engine.Intrinsics.TypeError, $"ctx.query: invalid JSONPath '{path}': {error}");
            }

            if (Queries.Count < MaxCachedQueries)
            {
                Queries.TryAdd(path, query);
            }
        }

        var root = value is JsonObjectView view ? view.Element : ToJson(sandbox, value);
        NodeList nodes;
        try
        {
            // The query is the rule author's: $..*..*..* on a modest document selects millions of nodes. Its work is
            // counted against the call's memory limit and the evaluator checks the call's clock as it goes.
            nodes = query.Evaluate(root, null, new JsonPathBudget(sandbox.Budget.MemoryLimit / BytesPerNode, sandbox.Budget.CheckTime));
        }
        catch (JsonPathBudgetExceededException ex)
        {
            throw new MemoryLimitExceededException($"ctx.query('{Cut(path)}') would exceed the memory limit of {sandbox.Budget.MemoryLimit} bytes: {ex.Message}");
        }

        // Each result becomes a JavaScript object with the value and the path.
        sandbox.Budget.Charge(nodes.Count * BytesPerResult);
        var results = new JsValue[nodes.Count];
        var i = 0;
        foreach (var node in nodes)
        {
            var item = new JsObject(engine);
            item.FastSetDataProperty("value", JsonValues.From(engine, node.Value));
            item.FastSetDataProperty("path", JsString.Create(node.Location.ToString()));
            results[i++] = item;
        }

        return new JsArray(engine, results);
    }

    /// <summary>A value built by the script (or an array taken from the subject): serialize it, still inside the call's limits.</summary>
    private static JsonElement ToJson(SandboxEngine sandbox, JsValue value)
    {
        sandbox.Budget.Charge(HostGuards.EstimateJson(sandbox.Budget, value));
        var text = new Jint.Native.Json.JsonSerializer(sandbox.Engine).Serialize(value, JsValue.Undefined, JsValue.Undefined);
        if (text.IsUndefined())
        {
            throw new JavaScriptException(sandbox.Engine.Intrinsics.TypeError, "ctx.query: the first argument must be JSON data (an object, array or primitive)");
        }

        using var document = JsonDocument.Parse(text.ToString());
        return document.RootElement.Clone();
    }
}
