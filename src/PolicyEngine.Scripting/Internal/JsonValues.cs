using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Runtime.Descriptors;

namespace PolicyEngine.Scripting.Internal;

/// <summary>Projects <see cref="JsonElement"/> data into an engine as frozen, lazily materialized JavaScript values.</summary>
internal static class JsonValues
{
    public static JsValue From(Engine engine, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new JsonObjectView(engine, element),
        JsonValueKind.Array => FromArray(engine, element),
        JsonValueKind.String => JsString.Create(element.GetString()!),
        JsonValueKind.Number => JsNumber.Create(element.GetDouble()),
        JsonValueKind.True => JsBoolean.True,
        JsonValueKind.False => JsBoolean.False,
        _ => JsValue.Null,
    };

    public static JsValue From(Engine engine, JsonElement? element) => element is { } value ? From(engine, value) : JsValue.Null;

    private static JsArray FromArray(Engine engine, JsonElement element)
    {
        var values = new JsValue[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i++] = From(engine, item);
        }

        return Frozen(engine, values);
    }

    private static readonly JsString LengthKey = JsString.Create("length");

    /// <summary>A real array (so <c>Array.isArray</c> and every array method work), frozen.</summary>
    public static JsArray Frozen(Engine engine, JsValue[] values)
    {
        var array = new JsArray(engine, values);
        for (var i = 0; i < values.Length; i++)
        {
            array.DefineOwnProperty(JsNumber.Create(i), new PropertyDescriptor(values[i], writable: false, enumerable: true, configurable: false));
        }

        array.DefineOwnProperty(LengthKey, new PropertyDescriptor(JsNumber.Create(values.Length), writable: false, enumerable: false, configurable: false));
        array.PreventExtensions();
        return array;
    }
}

/// <summary>A JSON object seen from script: frozen, members converted on first read and cached for the call.</summary>
internal sealed class JsonObjectView : ReadOnlyObject
{
    // Predicates read few members of each object: a short inline list beats a dictionary (no hashing, ~200 B less per
    // object); past this many members the cache moves to a dictionary.
    private const int InlineMembers = 4;

    private (string Name, JsValue Value)[]? _inline;
    private int _inlineCount;
    private Dictionary<string, JsValue>? _cache;

    public JsonObjectView(Engine engine, JsonElement element)
        : base(engine)
    {
        Element = element;
    }

    public JsonElement Element { get; }

    protected override IEnumerable<string> MemberNames
    {
        get
        {
            HashSet<string>? seen = null;
            foreach (var property in Element.EnumerateObject())
            {
                seen ??= new HashSet<string>(StringComparer.Ordinal);
                if (seen.Add(property.Name))
                {
                    yield return property.Name;
                }
            }
        }
    }

    protected override bool HasMember(string name) => Element.TryGetProperty(name, out _);

    protected override bool TryGetMember(string name, out JsValue value)
    {
        if (TryGetCached(name, out value!))
        {
            return true;
        }

        if (!Element.TryGetProperty(name, out var child))
        {
            value = JsValue.Undefined;
            return false;
        }

        value = JsonValues.From(Engine, child);
        Cache(name, value);
        return true;
    }

    private bool TryGetCached(string name, out JsValue? value)
    {
        if (_cache is not null)
        {
            return _cache.TryGetValue(name, out value);
        }

        var inline = _inline;
        for (var i = 0; i < _inlineCount; i++)
        {
            if (string.Equals(inline![i].Name, name, StringComparison.Ordinal))
            {
                value = inline[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    private void Cache(string name, JsValue value)
    {
        if (_cache is not null)
        {
            _cache[name] = value;
            return;
        }

        _inline ??= new (string, JsValue)[InlineMembers];
        if (_inlineCount < InlineMembers)
        {
            _inline[_inlineCount++] = (name, value);
            return;
        }

        _cache = new Dictionary<string, JsValue>(InlineMembers * 2, StringComparer.Ordinal);
        foreach (var (cachedName, cachedValue) in _inline)
        {
            _cache[cachedName] = cachedValue;
        }

        _cache[name] = value;
        _inline = null;
        _inlineCount = 0;
    }
}
