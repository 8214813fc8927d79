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
    // Predicates read few members of each object: the first two are cached in fields (no hashing, no allocation),
    // further ones in a dictionary.
    private string? _name0, _name1;
    private JsValue? _value0, _value1;
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
        if (string.Equals(_name0, name, StringComparison.Ordinal))
        {
            value = _value0;
            return true;
        }

        if (string.Equals(_name1, name, StringComparison.Ordinal))
        {
            value = _value1;
            return true;
        }

        value = null;
        return _cache is not null && _cache.TryGetValue(name, out value);
    }

    private void Cache(string name, JsValue value)
    {
        if (_name0 is null)
        {
            (_name0, _value0) = (name, value);
        }
        else if (_name1 is null)
        {
            (_name1, _value1) = (name, value);
        }
        else
        {
            (_cache ??= new Dictionary<string, JsValue>(StringComparer.Ordinal))[name] = value;
        }
    }
}
