using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// A host object that behaves like a frozen plain object whose members materialize on first read.
/// </summary>
/// <remarks>
/// Not extensible, every member non-writable and non-configurable, so <c>Object.isFrozen</c> holds and strict-mode
/// writes throw <c>TypeError</c>. Existence and key questions (<c>in</c>, <c>Object.keys</c>, spread) go through
/// <see cref="HasMember"/>/<see cref="MemberNames"/> and never materialize a value; that matters for
/// <c>ctx.inputs</c>, where materializing evidence that is not OK aborts the predicate.
/// </remarks>
internal abstract class ReadOnlyObject : ObjectInstance
{
    protected ReadOnlyObject(Engine engine)
        : base(engine)
    {
        // ObjectInstance's constructor already links Object.prototype (frozen at engine setup).
        base.PreventExtensions();
        SetPropertyAccessSemantics(PropertyAccessSemantics.Ordinary);
    }

    /// <summary>Materializes (and may cache) a member's value.</summary>
    protected abstract bool TryGetMember(string name, out JsValue value);

    /// <summary>Whether the member exists, without materializing it.</summary>
    protected abstract bool HasMember(string name);

    /// <summary>Member names in enumeration order.</summary>
    protected abstract IEnumerable<string> MemberNames { get; }

    public override PropertyDescriptor GetOwnProperty(JsValue property)
    {
        if (property.IsString() && TryGetMember(property.ToString(), out var value))
        {
            return new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false);
        }

        return PropertyDescriptor.Undefined;
    }

    protected override bool TryGetOwnPropertyValue(JsValue property, JsValue receiver, out JsValue value)
    {
        if (property.IsString() && TryGetMember(property.ToString(), out value))
        {
            return true;
        }

        value = JsValue.Undefined;
        return false;
    }

    public override JsValue Get(JsValue property, JsValue receiver)
    {
        if (property.IsString() && TryGetMember(property.ToString(), out var value))
        {
            return value;
        }

        return Prototype?.Get(property, receiver) ?? JsValue.Undefined;
    }

    protected override OwnPropertyProbe ProbeOwnProperty(JsValue property)
        => property.IsString() && HasMember(property.ToString()) ? OwnPropertyProbe.Enumerable : OwnPropertyProbe.Missing;

    public override bool HasProperty(JsValue property)
        => (property.IsString() && HasMember(property.ToString())) || (Prototype?.HasProperty(property) ?? false);

    public override List<JsValue> GetOwnPropertyKeys(Types types = Types.String | Types.Symbol)
    {
        var keys = new List<JsValue>();
        if ((types & Types.String) != 0)
        {
            foreach (var name in MemberNames)
            {
                keys.Add(JsString.Create(name));
            }
        }

        return keys;
    }

    public override IEnumerable<KeyValuePair<JsValue, PropertyDescriptor>> GetOwnProperties()
    {
        foreach (var name in MemberNames)
        {
            var key = JsString.Create(name);
            yield return new KeyValuePair<JsValue, PropertyDescriptor>(key, GetOwnProperty(key));
        }
    }

    public override bool Set(JsValue property, JsValue value, JsValue receiver) => false;

    public override bool DefineOwnProperty(JsValue property, PropertyDescriptor desc) => false;

    public override bool Delete(JsValue property) => !(property.IsString() && HasMember(property.ToString()));

    public override bool PreventExtensions() => true;

    public override void RemoveOwnProperty(JsValue property)
    {
        // Frozen: nothing can be removed.
    }

    protected override void SetOwnProperty(JsValue property, PropertyDescriptor desc)
    {
        // Frozen: nothing can be written.
    }
}
