using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A selector of RFC 9535 §2.3: given one input node, appends the children it selects.</summary>
internal abstract class Selector
{
    public abstract void Select(JsonElement value, ParentPath parent, NodeBuffer output, EvaluationContext context);
}
