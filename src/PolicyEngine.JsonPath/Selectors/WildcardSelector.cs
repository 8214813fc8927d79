using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>*</c>: every member value of an object or every element of an array.</summary>
internal sealed class WildcardSelector : Selector
{
    public static WildcardSelector Instance { get; } = new();

    public override void Select(JsonElement value, ParentPath parent, NodeBuffer output, EvaluationContext context)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            var path = parent.Get();
            foreach (var member in value.EnumerateObject())
            {
                output.Add(member.Value, path, -1, path is null ? null : context.NameOf(member));
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            var path = parent.Get();
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                output.Add(element, path, index, null);
                index++;
            }
        }
    }
}
