using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A child or descendant segment: a list of selectors applied to each input node (RFC 9535 §2.5).</summary>
internal sealed class Segment
{
    public Segment(Selector[] selectors, bool isDescendant)
    {
        Selectors = selectors;
        IsDescendant = isDescendant;
    }

    public Selector[] Selectors { get; }

    public bool IsDescendant { get; }

    /// <summary>True for a child segment with one name or index selector, the building block of singular queries.</summary>
    public bool IsSingular => !IsDescendant && Selectors.Length == 1 && Selectors[0] is NameSelector or IndexSelector;

    public void Apply(JsonElement value, NormalizedPath? path, NodeBuffer output, EvaluationContext context)
    {
        if (IsDescendant)
        {
            var walker = context.RentWalker();
            walker.Walk(value, path, Selectors, output, context);
            context.ReturnWalker(walker);
            return;
        }

        var parent = new ParentPath(path);
        foreach (var selector in Selectors)
        {
            selector.Select(value, parent, output, context);
        }
    }

    /// <summary>Runs <paramref name="segments"/> from <paramref name="start"/>, appending the final nodes to <paramref name="result"/>.</summary>
    public static void Run(Segment[] segments, JsonElement start, NormalizedPath? startPath, EvaluationContext context, NodeBuffer result)
    {
        if (segments.Length == 0)
        {
            result.Add(start, startPath);
            return;
        }

        if (segments.Length == 1)
        {
            segments[0].Apply(start, startPath, result, context);
            return;
        }

        var current = context.RentBuffer();
        segments[0].Apply(start, startPath, current, context);
        for (var i = 1; i < segments.Length && current.Count > 0; i++)
        {
            var last = i == segments.Length - 1;
            var next = last ? result : context.RentBuffer();
            var segment = segments[i];
            for (var n = 0; n < current.Count; n++)
            {
                ref readonly var node = ref current.NodeAt(n);
                segment.Apply(node.Value, node.LocationOrNull, next, context);
            }

            context.ReturnBuffer(current);
            if (last)
            {
                return;
            }

            current = next;
        }

        context.ReturnBuffer(current);
    }
}
