using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;

namespace PolicyEngine.Scripting.Internal;

/// <summary>
/// Turns what a predicate returned or threw into a <see cref="PredicateResult"/> without running any script:
/// only own data properties of plain objects are read, so a getter, a proxy trap or a <c>toString</c> cannot run
/// outside the call's limits.
/// </summary>
internal static class ResultReader
{
    private const string Expected = "expected a boolean or an object {pass, message?, path?}";

    // Results are immutable records: the two commonest ones are shared instead of allocated per call.
    private static readonly PredicateResult Passed = new(PredicateOutcome.Pass, null, null, null);
    private static readonly PredicateResult Failed = new(PredicateOutcome.Fail, null, null, null);

    public static PredicateResult Read(JsValue value)
    {
        if (value.IsBoolean())
        {
            return value.AsBoolean() ? Passed : Failed;
        }

        if (value is not JsObject result)
        {
            return WrongType($"predicate returned {TypeName(value)}; {Expected}");
        }

        if (!TryField(result, "message", out var message, out var messageType))
        {
            return WrongType($"predicate returned an object whose 'message' is {messageType}; expected a string");
        }

        var notApplicable = OwnData(result, "notApplicable");
        if (notApplicable.IsBoolean() && notApplicable.AsBoolean())
        {
            return new PredicateResult(PredicateOutcome.NotApplicable, message, null, null);
        }

        // A predicate that finds the data it needs missing (for example a resource the snapshot lacks) says so
        // explicitly; it can never turn that into a pass.
        var insufficient = OwnData(result, "insufficientData");
        if (insufficient.IsBoolean() && insufficient.AsBoolean())
        {
            return new PredicateResult(PredicateOutcome.InsufficientData, message, null, null);
        }

        var pass = OwnData(result, "pass");
        if (!pass.IsBoolean())
        {
            return WrongType($"predicate returned an object whose 'pass' is {TypeName(pass)}; {Expected}");
        }

        if (!TryField(result, "path", out var path, out var pathType))
        {
            return WrongType($"predicate returned an object whose 'path' is {pathType}; expected a string");
        }

        return new PredicateResult(pass.AsBoolean() ? PredicateOutcome.Pass : PredicateOutcome.Fail, message, path, null);
    }

    public static PredicateResult Threw(JavaScriptException ex, CompiledPredicate predicate)
    {
        var error = ex.Error;
        string text;
        if (error is ObjectInstance errorObject)
        {
            var name = SafeString(errorObject, "name");
            var message = SafeString(errorObject, "message");
            text = (name, message) switch
            {
                (null, null) => "a non-error object",
                (null, _) => message!,
                (_, null or "") => name!,
                _ => name + ": " + message,
            };
        }
        else
        {
            text = error.IsString() ? error.ToString() : TypeName(error) + " " + (error.IsSymbol() ? "symbol" : error.ToString());
        }

        text = Cap(text);
        var location = ex.Location;
        if (location.Start.Line > 0)
        {
            var (line, column) = PredicateCompiler.ToScriptPosition(predicate.Source, location.Start.Line, location.Start.Column);
            return PredicateResult.Failure(ScriptErrorCodes.Threw, "predicate threw " + text + PredicateResult.PositionSuffix(line, column))
                with { Line = line, Column = column };
        }

        return PredicateResult.Failure(ScriptErrorCodes.Threw, "predicate threw " + text);
    }

    private static PredicateResult WrongType(string message) => PredicateResult.Failure(ScriptErrorCodes.WrongReturnType, message);

    /// <summary>Reads an optional string field: absent, undefined or null give null; any other non-string fails.</summary>
    private static bool TryField(JsObject result, string name, out string? value, out string type)
    {
        var raw = OwnData(result, name);
        type = TypeName(raw);
        value = raw.IsString() ? Cap(raw.ToString()) : null;
        return raw.IsString() || raw.IsUndefined() || raw.IsNull();
    }

    /// <summary>The most UTF-16 characters of a message or path a predicate can hand back; findings repeat per subject.</summary>
    internal const int MaxTextLength = 4096;

    /// <summary>Cuts <paramref name="text"/> to <see cref="MaxTextLength"/> characters and says that it did.</summary>
    internal static string Cap(string text)
    {
        if (text.Length <= MaxTextLength)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{text.AsSpan(0, cut)}... (cut: {text.Length:N0} characters, the limit is {MaxTextLength:N0})");
    }

    private static JsValue OwnData(ObjectInstance target, string name)
    {
        var descriptor = target.GetOwnProperty(name);
        return descriptor != PropertyDescriptor.Undefined && descriptor.IsDataDescriptor() ? descriptor.Value : JsValue.Undefined;
    }

    /// <summary>Looks a string up the prototype chain, data properties only, stopping at anything exotic.</summary>
    internal static string? SafeString(ObjectInstance target, string name)
    {
        var current = target;
        for (var depth = 0; current is not null && depth < 32; depth++)
        {
            // Jint's proxy type is internal; its traps would run script, so stop there.
            if (current.GetType().Name == "JsProxy")
            {
                return null;
            }

            var descriptor = current.GetOwnProperty(name);
            if (descriptor != PropertyDescriptor.Undefined)
            {
                return descriptor.IsDataDescriptor() && descriptor.Value.IsString() ? descriptor.Value.ToString() : null;
            }

            current = current.Prototype;
        }

        return null;
    }

    internal static string TypeName(JsValue value) => value switch
    {
        _ when value.IsUndefined() => "undefined",
        _ when value.IsNull() => "null",
        _ when value.IsBoolean() => "boolean",
        _ when value.IsNumber() => "number",
        _ when value.IsString() => "string",
        _ when value.IsSymbol() => "symbol",
        _ when value.IsBigInt() => "bigint",
        JsArray => "an array",
        _ when value is Jint.Native.Function.Function => "a function",
        _ => "an object",
    };
}
