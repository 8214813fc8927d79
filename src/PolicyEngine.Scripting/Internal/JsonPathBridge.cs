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
        var nodes = query.Evaluate(root);
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
