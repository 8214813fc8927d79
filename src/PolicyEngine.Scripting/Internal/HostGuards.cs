using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// Bounds the native built-ins that can build a huge value in one step, where Jint checks no limit (it checks between
/// statements): before the built-in runs, the size of what it would produce is estimated and charged to the call's
/// <see cref="CallBudget"/>, so <c>JSON.stringify</c> of a doubling DAG or <c>'a'.repeat(2**24).replace(/a/g,'bb')</c>
/// stops with the memory limit (PE3105) instead of taking seconds and gigabytes and then passing.
/// </summary>
internal static class HostGuards
{
    /// <summary>Replaces the built-ins that can expand their input with guarded versions; call before freezing.</summary>
    public static void Install(Engine engine, CallBudget budget)
    {
        var json = (ObjectInstance)engine.Global.Get("JSON");
        Wrap(engine, json, "stringify", 3, (_, args) => budget.Charge(EstimateJson(budget, Arg(args, 0))));

        var strings = (ObjectInstance)((ObjectInstance)engine.Global.Get("String")).Get("prototype");
        Wrap(engine, strings, "repeat", 1, (self, args) => budget.Charge(2 * Length(self) * (long)Math.Max(0, Number(Arg(args, 0)))));
        Wrap(engine, strings, "padStart", 2, (_, args) => budget.Charge(2 * (long)Math.Max(0, Number(Arg(args, 0)))));
        Wrap(engine, strings, "padEnd", 2, (_, args) => budget.Charge(2 * (long)Math.Max(0, Number(Arg(args, 0)))));
        Wrap(engine, strings, "replace", 2, (self, args) => budget.Charge(ReplaceCost(self, Arg(args, 1))));
        Wrap(engine, strings, "replaceAll", 2, (self, args) => budget.Charge(ReplaceCost(self, Arg(args, 1))));

        var arrays = (ObjectInstance)((ObjectInstance)engine.Global.Get("Array")).Get("prototype");
        Wrap(engine, arrays, "join", 1, (self, args) => budget.Charge(JoinCost(budget, self, Arg(args, 0))));
    }

    /// <summary>
    /// Estimates the UTF-16 bytes <c>JSON.stringify(value)</c> would produce, visiting shared objects once per path as
    /// the serializer does, and charging as it goes, so a DAG that doubles at each level stops at the limit.
    /// </summary>
    public static long EstimateJson(CallBudget budget, JsValue value)
    {
        long bytes = 0;
        long visited = 0;
        var pending = new Stack<(JsValue Value, bool Leave)>();
        var ancestors = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        pending.Push((value, false));
        while (pending.TryPop(out var item))
        {
            if (item.Leave)
            {
                ancestors.Remove((ObjectInstance)item.Value);
                continue;
            }

            if ((++visited & 1023) == 0)
            {
                budget.Charge(bytes);
            }

            if (item.Value is JsString text)
            {
                bytes += (2L * text.Length) + 4;
                continue;
            }

            if (item.Value is not ObjectInstance instance || instance is Jint.Native.Function.Function)
            {
                bytes += 16;
                continue;
            }

            if (!ancestors.Add(instance))
            {
                // A cycle: the serializer throws its TypeError for it; nothing more to estimate.
                return bytes;
            }

            pending.Push((instance, true));
            bytes += 4;
            if (instance is JsArray array)
            {
                var length = (uint)array.Length;
                for (uint i = 0; i < length; i++)
                {
                    pending.Push((array.Get(i), false));
                }

                continue;
            }

            foreach (var key in instance.GetOwnPropertyKeys(Types.String))
            {
                var descriptor = instance.GetOwnProperty(key);
                if (!descriptor.Enumerable)
                {
                    continue;
                }

                bytes += (2L * key.ToString().Length) + 6;
                if (descriptor.IsDataDescriptor())
                {
                    pending.Push((descriptor.Value, false));
                }
            }
        }

        return bytes;
    }

    private static long ReplaceCost(JsValue self, JsValue replacement)
    {
        // Worst case: every character matches and becomes the replacement, and each match allocates a match record.
        var length = Length(self);
        var replacementLength = replacement is JsString text ? text.Length : 1;
        return (2 * length * Math.Max(1, replacementLength)) + (16 * length);
    }

    private static long JoinCost(CallBudget budget, JsValue self, JsValue separator)
    {
        if (self is not JsArray array)
        {
            return 0;
        }

        var length = (uint)array.Length;
        var separatorLength = separator is JsString text ? text.Length : 1;
        long bytes = 2L * length * separatorLength;
        for (uint i = 0; i < length; i++)
        {
            if (array.Get(i) is JsString item)
            {
                bytes += 2L * item.Length;
            }

            if ((i & 4095) == 4095)
            {
                budget.Charge(bytes);
            }
        }

        return bytes;
    }

    private static void Wrap(Engine engine, ObjectInstance owner, string name, int length, Action<JsValue, JsValue[]> guard)
    {
        var original = owner.Get(name);
        var guarded = new ClrFunction(engine, name, (self, args) =>
        {
            guard(self, args);
            return original.Call(self, args);
        }, length);
        owner.DefineOwnProperty(name, new PropertyDescriptor(guarded, writable: true, enumerable: false, configurable: true));
    }

    private static JsValue Arg(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

    private static long Length(JsValue value) => value is JsString text ? text.Length : 0;

    private static double Number(JsValue value)
    {
        var number = value.IsNumber() ? value.AsNumber() : 0;
        return double.IsNaN(number) ? 0 : Math.Min(number, 1e15);
    }
}
