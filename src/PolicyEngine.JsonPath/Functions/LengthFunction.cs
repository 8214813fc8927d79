using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>RFC 9535 §2.4.4 <c>length(ValueType) -> ValueType</c>.</summary>
internal static class LengthFunction
{
    public static FunctionDefinition Create() =>
        new("length", [FunctionType.Value], FunctionType.Value, static args => FunctionResult.FromValue(Length(args[0].Value)));

    private static PathValue Length(PathValue value)
    {
        if (value.TryGetElement(out var element))
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Array:
                    return PathValue.FromNumber((long)element.GetArrayLength());
                case JsonValueKind.Object:
                    return PathValue.FromNumber((long)element.GetPropertyCount());
                case JsonValueKind.String:
                    return PathValue.FromNumber((long)CountScalars(JsonStrings.Value(element)));
                default:
                    return PathValue.Nothing;
            }
        }

        return value.TryGetString(out var text) ? PathValue.FromNumber((long)CountScalars(text)) : PathValue.Nothing;
    }

    // The RFC counts Unicode scalar values, so a surrogate pair is one character, not two UTF-16 units.
    private static int CountScalars(string text)
    {
        var count = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }
}
