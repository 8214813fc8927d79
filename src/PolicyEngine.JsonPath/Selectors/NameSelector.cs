using System.Text;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>['name']</c> or <c>.name</c>: the member of that name, if the input is an object.</summary>
internal sealed class NameSelector : Selector
{
    // Looking members up by UTF-8 bytes avoids transcoding the name for every object visited.
    private readonly byte[] _utf8;

    public NameSelector(string name)
    {
        Name = name;
        _utf8 = Encoding.UTF8.GetBytes(name);
    }

    public string Name { get; }

    public bool TryGet(JsonElement value, out JsonElement child)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.TryGetProperty(_utf8, out child);
        }

        child = default;
        return false;
    }

    public override void Select(JsonElement value, ParentPath parent, NodeBuffer output, EvaluationContext context)
    {
        if (TryGet(value, out var child))
        {
            output.Add(child, parent.Get()?.Append(Name));
        }
    }
}
