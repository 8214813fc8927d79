using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>[i]</c>: one array element; negative indexes count from the end.</summary>
internal sealed class IndexSelector : Selector
{
    public IndexSelector(long index)
    {
        Index = index;
    }

    public long Index { get; }

    public bool TryGet(JsonElement value, out JsonElement child, out int normalized) => TryGet(value, out child, out normalized, null);

    public bool TryGet(JsonElement value, out JsonElement child, out int normalized, JsonPathDocumentIndex? index)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var length = value.GetArrayLength();
            var i = Index < 0 ? length + Index : Index;
            if (i >= 0 && i < length)
            {
                normalized = (int)i;
                child = index is null ? value[normalized] : index.ElementAt(value, length, normalized);
                return true;
            }
        }

        child = default;
        normalized = -1;
        return false;
    }

    public override void Select(JsonElement value, ParentPath parent, NodeBuffer output, EvaluationContext context)
    {
        if (TryGet(value, out var child, out var index, context.Index))
        {
            output.Add(child, parent.Get(), index, null);
        }
    }
}
