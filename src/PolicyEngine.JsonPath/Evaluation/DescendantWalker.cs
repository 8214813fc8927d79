using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>
/// Pre-order walk for the descendant segment with an explicit stack, so deep documents cannot overflow the
/// call stack, and with lazily built paths, so visiting a node costs no allocation unless it yields a result.
/// </summary>
internal sealed class DescendantWalker
{
    private Frame[] _frames = new Frame[16];
    private bool _tracking;
    private EvaluationContext? _context;

    public void Walk(JsonElement start, NormalizedPath? startPath, Selector[] selectors, NodeBuffer output, EvaluationContext context)
    {
        if (start.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return;
        }

        _tracking = startPath is not null;
        _context = context;
        var top = 0;
        _frames[0] = Frame.Create(start, startPath, default, -1);
        Visit(0, start, selectors, output, context);
        while (top >= 0)
        {
            ref var frame = ref _frames[top];
            JsonElement child;
            JsonProperty property = default;
            var index = -1;
            if (frame.IsObject)
            {
                if (!frame.Members.MoveNext())
                {
                    _frames[top--] = default;
                    continue;
                }

                property = frame.Members.Current;
                child = property.Value;
            }
            else
            {
                if (!frame.Elements.MoveNext())
                {
                    _frames[top--] = default;
                    continue;
                }

                index = ++frame.Index;
                child = frame.Elements.Current;
            }

            if (child.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                if (++top == _frames.Length)
                {
                    Array.Resize(ref _frames, _frames.Length * 2);
                }

                _frames[top] = Frame.Create(child, null, property, index);
                Visit(top, child, selectors, output, context);
            }
        }
    }

    public NormalizedPath? Materialize(int frameIndex)
    {
        if (!_tracking)
        {
            return null;
        }

        // Iterative, not recursive: a match deep below nodes that matched nothing must not overflow the stack.
        var first = frameIndex;
        while (_frames[first].Path is null)
        {
            first--;
        }

        var path = _frames[first].Path!;
        for (var i = first + 1; i <= frameIndex; i++)
        {
            ref var frame = ref _frames[i];
            path = frame.LinkIndex >= 0 ? path.Append(frame.LinkIndex) : path.Append(_context!.NameOf(frame.LinkProperty));
            frame.Path = path;
        }

        return path;
    }

    private void Visit(int frameIndex, JsonElement value, Selector[] selectors, NodeBuffer output, EvaluationContext context)
    {
        context.Budget?.Spend();
        var parent = new ParentPath(this, frameIndex);
        foreach (var selector in selectors)
        {
            selector.Select(value, parent, output, context);
        }
    }

    private struct Frame
    {
        public bool IsObject;
        public JsonElement.ObjectEnumerator Members;
        public JsonElement.ArrayEnumerator Elements;
        public int Index;
        public NormalizedPath? Path;
        public JsonProperty LinkProperty;
        public int LinkIndex;

        public static Frame Create(JsonElement value, NormalizedPath? path, JsonProperty linkProperty, int linkIndex)
        {
            var frame = new Frame { Path = path, LinkProperty = linkProperty, LinkIndex = linkIndex, Index = -1 };
            if (value.ValueKind == JsonValueKind.Object)
            {
                frame.IsObject = true;
                frame.Members = value.EnumerateObject();
            }
            else
            {
                frame.Elements = value.EnumerateArray();
            }

            return frame;
        }
    }
}
