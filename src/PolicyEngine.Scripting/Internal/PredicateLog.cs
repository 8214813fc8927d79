using System.Text;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// What one predicate call logged with <c>ctx.log</c> / <c>console.log</c>, within <see cref="PredicateLogLimits"/>.
/// Values are rendered by the host from own data properties only: no getter, proxy trap or <c>toString</c> runs.
/// </summary>
internal sealed class PredicateLog
{
    /// <summary>How deep nested objects and arrays are shown; deeper ones print as [Object] / [Array].</summary>
    private const int MaxDepth = 3;

    private static readonly JsString LengthKey = JsString.Create("length");

    private List<string>? _entries;
    private int _characters;

    /// <summary>Log calls dropped or shortened because a limit was reached.</summary>
    public int Cut { get; private set; }

    /// <summary>Forgets everything logged (at the start of each call).</summary>
    public void Clear()
    {
        _entries = null;
        _characters = 0;
        Cut = 0;
    }

    /// <summary>Records one log call: its arguments rendered and joined by spaces, as console.log does.</summary>
    public void Add(JsValue[] arguments)
    {
        var budget = PredicateLogLimits.MaxCharacters - _characters;
        if ((_entries?.Count ?? 0) >= PredicateLogLimits.MaxEntries || budget <= 0)
        {
            Cut++;
            return;
        }

        var writer = new Writer(budget);
        for (var i = 0; i < arguments.Length && !writer.Full; i++)
        {
            if (i > 0)
            {
                writer.Append(" ");
            }

            writer.Write(arguments[i], 0, nested: false);
        }

        if (writer.Full)
        {
            Cut++;
        }

        var text = writer.ToString();
        _characters += text.Length;
        (_entries ??= []).Add(text);
    }

    /// <summary>The result with what the call logged attached; the same instance when nothing was logged.</summary>
    public PredicateResult AttachTo(PredicateResult result) =>
        _entries is null && Cut == 0 ? result : result with { Logs = _entries?.ToArray() ?? [], LogsCut = Cut };

    /// <summary>Renders values into at most a budget of characters.</summary>
    private sealed class Writer(int budget)
    {
        private readonly StringBuilder _text = new();

        public bool Full { get; private set; }

        public void Append(string text)
        {
            if (Full)
            {
                return;
            }

            var room = budget - _text.Length;
            if (text.Length <= room)
            {
                _text.Append(text);
                return;
            }

            _text.Append(text.AsSpan(0, Math.Max(0, room - 1))).Append('…');
            Full = true;
        }

        public override string ToString() => _text.ToString();

        public void Write(JsValue value, int depth, bool nested)
        {
            if (Full)
            {
                return;
            }

            switch (value)
            {
                case JsString:
                    Append(nested ? "'" + value + "'" : value.ToString());
                    return;
                case JsSymbol:
                    Append(value.ToString());
                    return;
                case JsBigInt:
                    Append(TypeConverter.ToString(value) + "n");
                    return;
                case Function:
                    Append("[Function]");
                    return;
                case JsArray array:
                    WriteArray(array, depth);
                    return;
                case ObjectInstance obj:
                    WriteObject(obj, depth);
                    return;
                default:
                    // undefined, null, booleans and numbers: their JavaScript spelling, without running script.
                    Append(TypeConverter.ToString(value));
                    return;
            }
        }

        private void WriteArray(JsArray array, int depth)
        {
            if (depth >= MaxDepth)
            {
                Append("[Array]");
                return;
            }

            Append("[");
            // An array's length is always an own data property: reading it runs no script.
            var length = (uint)TypeConverter.ToNumber(array.GetOwnProperty(LengthKey).Value);
            for (uint i = 0; i < length && !Full; i++)
            {
                Append(i == 0 ? " " : ", ");
                WriteProperty(array.GetOwnProperty(JsNumber.Create(i)), depth);
            }

            Append(length == 0 ? "]" : " ]");
        }

        private void WriteObject(ObjectInstance obj, int depth)
        {
            // Jint's proxy type is internal; its traps would run script.
            if (obj.GetType().Name == "JsProxy")
            {
                Append("[Proxy]");
                return;
            }

            if (obj is JsError)
            {
                var name = ResultReader.SafeString(obj, "name") ?? "Error";
                var message = ResultReader.SafeString(obj, "message");
                Append(string.IsNullOrEmpty(message) ? name : name + ": " + message);
                return;
            }

            if (depth >= MaxDepth)
            {
                Append("[Object]");
                return;
            }

            Append("{");
            var first = true;
            foreach (var key in obj.GetOwnPropertyKeys(Types.String))
            {
                if (Full)
                {
                    break;
                }

                var descriptor = obj.GetOwnProperty(key);
                if (descriptor == PropertyDescriptor.Undefined || !descriptor.Enumerable)
                {
                    continue;
                }

                Append(first ? " " : ", ");
                first = false;
                Append(key.ToString());
                Append(": ");
                WriteProperty(descriptor, depth);
            }

            Append(first ? "}" : " }");
        }

        private void WriteProperty(PropertyDescriptor descriptor, int depth)
        {
            if (descriptor == PropertyDescriptor.Undefined)
            {
                Append("<empty>");
            }
            else if (descriptor.IsAccessorDescriptor())
            {
                Append("[Getter]");
            }
            else
            {
                Write(descriptor.Value, depth + 1, nested: true);
            }
        }
    }
}
