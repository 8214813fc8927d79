using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>[?expr]</c>: the children of the input for which the logical expression holds.</summary>
internal sealed class FilterSelector : Selector
{
    public FilterSelector(LogicalExpression expression)
    {
        Expression = expression;
    }

    public LogicalExpression Expression { get; }

    public override void Select(JsonElement value, ParentPath parent, NodeBuffer output, EvaluationContext context)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            NormalizedPath? path = null;
            var resolved = false;
            foreach (var member in value.EnumerateObject())
            {
                if (Expression.Evaluate(context, member.Value))
                {
                    if (!resolved)
                    {
                        path = parent.Get();
                        resolved = true;
                    }

                    output.Add(member.Value, path, -1, path is null ? null : context.NameOf(member));
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            NormalizedPath? path = null;
            var resolved = false;
            var index = 0;
            var prefetcher = ElementPrefetcher.For(value);
            foreach (var element in value.EnumerateArray())
            {
                prefetcher.Advance();
                if (Expression.Evaluate(context, element))
                {
                    if (!resolved)
                    {
                        path = parent.Get();
                        resolved = true;
                    }

                    output.Add(element, path, index, null);
                }

                index++;
            }
        }
    }
}
