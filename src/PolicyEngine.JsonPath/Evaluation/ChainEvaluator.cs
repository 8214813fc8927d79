using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>
/// Depth-first evaluation of a query made of child segments only (any selectors), such as
/// <c>$.resources[*].resourceType</c> or <c>$.a[?@.b == 1].c</c>. It yields the same nodes in the same order as
/// the segment-by-segment evaluation of RFC 9535 §2.5.1.2 (each segment concatenates, per input node in order,
/// the children its selectors pick), but without intermediate node lists, without virtual dispatch per node,
/// and building locations only for emitted nodes: the path of a visited node is a (parent, member or index)
/// link until a result below it asks for it, and siblings share the materialized prefix.
/// </summary>
internal sealed class ChainEvaluator
{
    private readonly Selector[][] _steps;
    private readonly StepKind[][] _kinds;

    // For each step: true when every later step selects at most one node per input (names and indexes), so a
    // wildcard at this step bounds the result count by its input's size.
    private readonly bool[] _singularTail;

    private ChainEvaluator(Segment[] segments)
    {
        _steps = new Selector[segments.Length][];
        _kinds = new StepKind[segments.Length][];
        _singularTail = new bool[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            _steps[i] = segments[i].Selectors;
            _kinds[i] = Array.ConvertAll(segments[i].Selectors, KindOf);
        }

        var tail = true;
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            _singularTail[i] = tail;
            tail &= segments[i].IsSingular;
        }
    }

    internal enum StepKind : byte
    {
        Name,
        Index,
        Wildcard,
        Filter,
        Other,
    }

    /// <summary>
    /// The longest query this evaluator takes. It recurses once per segment; longer queries (never written by hand)
    /// run segment by segment, which uses constant stack whatever the query's length.
    /// </summary>
    internal const int MaxSegments = 64;

    /// <summary>Returns an evaluator when every segment is a child segment and there are at most <see cref="MaxSegments"/>, else null.</summary>
    public static ChainEvaluator? TryCreate(Segment[] segments) =>
        segments.Length is > 0 and <= MaxSegments && Array.TrueForAll(segments, s => !s.IsDescendant) ? new ChainEvaluator(segments) : null;

    public NodeList Evaluate(JsonElement root, JsonPathDocumentIndex? index = null, JsonPathBudget? budget = null)
    {
        var state = new State(this, new EvaluationContext(root, index, budget), _steps.Length);
        state.Result.Budget = budget;
        state.Step(0, root);
        return state.Result.ToNodeList();
    }

    private static StepKind KindOf(Selector selector) => selector switch
    {
        NameSelector => StepKind.Name,
        IndexSelector => StepKind.Index,
        WildcardSelector => StepKind.Wildcard,
        FilterSelector => StepKind.Filter,
        _ => StepKind.Other,
    };

    private struct Link
    {
        public NormalizedPath? Path;
        public string? Name;
        public JsonProperty Property;
        public int Index;
        public byte Kind; // 0: name string, 1: property (name read on demand), 2: index
    }

    private sealed class State
    {
        private readonly ChainEvaluator _plan;
        private readonly EvaluationContext _context;
        private readonly Link[] _links;

        public State(ChainEvaluator plan, EvaluationContext context, int depth)
        {
            _plan = plan;
            _context = context;
            _links = new Link[depth + 1];
            _links[0].Path = NormalizedPath.Root;
        }

        public NodeBuffer Result { get; } = new();

        public void Step(int depth, JsonElement value)
        {
            if (depth == _links.Length - 1)
            {
                Emit(depth, value);
                return;
            }

            var selectors = _plan._steps[depth];
            var kinds = _plan._kinds[depth];
            for (var s = 0; s < selectors.Length; s++)
            {
                var selector = selectors[s];
                switch (kinds[s])
                {
                    case StepKind.Name:
                    {
                        var name = Unsafe.As<NameSelector>(selector);
                        if (name.TryGet(value, out var child, _context))
                        {
                            SetName(depth + 1, name.Name);
                            Step(depth + 1, child);
                        }

                        break;
                    }

                    case StepKind.Index:
                    {
                        if (Unsafe.As<IndexSelector>(selector).TryGet(value, out var child, out var index, _context.Index))
                        {
                            SetIndex(depth + 1, index);
                            Step(depth + 1, child);
                        }

                        break;
                    }

                    case StepKind.Wildcard:
                        Wildcard(depth, value);
                        break;
                    case StepKind.Filter:
                        Filter(depth, value, Unsafe.As<FilterSelector>(selector).Expression);
                        break;
                    default:
                        General(depth, value, selector);
                        break;
                }
            }
        }

        private void Wildcard(int depth, JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                if (_plan._singularTail[depth])
                {
                    Result.EnsureCapacity(Result.Count + value.GetArrayLength());
                }

                var index = 0;
                var prefetcher = ElementPrefetcher.For(value);
                foreach (var element in value.EnumerateArray())
                {
                    prefetcher.Advance();
                    SetIndex(depth + 1, index++);
                    Step(depth + 1, element);
                }
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in value.EnumerateObject())
                {
                    SetProperty(depth + 1, member);
                    Step(depth + 1, member.Value);
                }
            }
        }

        private void Filter(int depth, JsonElement value, LogicalExpression expression)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                var prefetcher = ElementPrefetcher.For(value);
                foreach (var element in value.EnumerateArray())
                {
                    prefetcher.Advance();
                    if (expression.Evaluate(_context, element))
                    {
                        SetIndex(depth + 1, index);
                        Step(depth + 1, element);
                    }

                    index++;
                }
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in value.EnumerateObject())
                {
                    if (expression.Evaluate(_context, member.Value))
                    {
                        SetProperty(depth + 1, member);
                        Step(depth + 1, member.Value);
                    }
                }
            }
        }

        // Slices (and any future selector): run the selector into a scratch list, then continue from each node.
        private void General(int depth, JsonElement value, Selector selector)
        {
            var buffer = _context.RentBuffer();
            selector.Select(value, new ParentPath(PathAt(depth)), buffer, _context);
            for (var i = 0; i < buffer.Count; i++)
            {
                ref readonly var node = ref buffer.NodeAt(i);
                _links[depth + 1] = new Link { Path = node.LocationOrNull };
                Step(depth + 1, node.Value);
            }

            _context.ReturnBuffer(buffer);
        }

        // The last one or two steps (an index then a name) stay in the node and are appended only when its
        // Location is read, so emitting a result allocates nothing beyond the result list.
        private void Emit(int depth, JsonElement value)
        {
            ref var link = ref _links[depth];
            if (link.Path is not null || depth == 0)
            {
                Result.Add(value, PathAt(depth));
                return;
            }

            if (link.Kind == 2)
            {
                Result.Add(value, PathAt(depth - 1), link.Index, null);
                return;
            }

            var name = link.Kind == 0 ? link.Name! : _context.NameOf(link.Property);
            ref var parent = ref _links[depth - 1];
            if (parent.Path is null && depth >= 2 && parent.Kind == 2)
            {
                Result.Add(value, PathAt(depth - 2), parent.Index, name);
                return;
            }

            Result.Add(value, PathAt(depth - 1), -1, name);
        }

        private void SetName(int depth, string name)
        {
            ref var link = ref _links[depth];
            link.Path = null;
            link.Name = name;
            link.Kind = 0;
        }

        private void SetProperty(int depth, JsonProperty property)
        {
            ref var link = ref _links[depth];
            link.Path = null;
            link.Property = property;
            link.Kind = 1;
        }

        private void SetIndex(int depth, int index)
        {
            ref var link = ref _links[depth];
            link.Path = null;
            link.Index = index;
            link.Kind = 2;
        }

        private NormalizedPath PathAt(int depth)
        {
            ref var link = ref _links[depth];
            if (link.Path is null)
            {
                var parent = PathAt(depth - 1);
                link.Path = link.Kind switch
                {
                    0 => parent.Append(link.Name!),
                    1 => parent.Append(_context.NameOf(link.Property)),
                    _ => parent.Append(link.Index),
                };
            }

            return link.Path;
        }
    }
}
