using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A query inside a filter, relative to <c>@</c> or absolute from <c>$</c>.</summary>
internal sealed class QueryExpression
{
    private readonly Selector[]? _singularSteps;

    public QueryExpression(bool relative, Segment[] segments)
    {
        Relative = relative;
        Segments = segments;
        if (Array.TrueForAll(segments, s => s.IsSingular))
        {
            _singularSteps = Array.ConvertAll(segments, s => s.Selectors[0]);
        }
    }

    public bool Relative { get; }

    public Segment[] Segments { get; }

    public bool IsSingular => _singularSteps is not null;

    /// <summary>Follows a singular query without building any node list.</summary>
    public bool TryNavigate(EvaluationContext context, JsonElement current, out JsonElement value)
    {
        value = Relative ? current : context.Root;
        foreach (var step in _singularSteps!)
        {
            var found = step is NameSelector name
                ? name.TryGet(value, out value, context)
                : ((IndexSelector)step).TryGet(value, out value, out _, context.Index);
            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    public bool Exists(EvaluationContext context, JsonElement current)
    {
        if (_singularSteps is not null)
        {
            return TryNavigate(context, current, out _);
        }

        var buffer = context.RentBuffer();
        Segment.Run(Segments, Relative ? current : context.Root, null, context, buffer);
        var any = buffer.Count > 0;
        context.ReturnBuffer(buffer);
        return any;
    }

    /// <summary>Selects into a buffer tied to the current function call's argument mark.</summary>
    public NodeBuffer Select(EvaluationContext context, JsonElement current)
    {
        var buffer = context.RentArgumentBuffer();
        Segment.Run(Segments, Relative ? current : context.Root, null, context, buffer);
        return buffer;
    }
}
