using System.Buffers;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary><c>[start:end:step]</c>, following the normative bounds computation of RFC 9535 §2.3.4.2.</summary>
internal sealed class SliceSelector : Selector
{
    private readonly long? _start;
    private readonly long? _end;
    private readonly long _step;

    public SliceSelector(long? start, long? end, long? step)
    {
        _start = start;
        _end = end;
        _step = step ?? 1;
    }

    public override void Select(JsonElement value, ParentPath parent, NodeBuffer output, EvaluationContext context)
    {
        if (value.ValueKind != JsonValueKind.Array || _step == 0)
        {
            return;
        }

        long length = value.GetArrayLength();
        if (_step > 0)
        {
            var lower = Math.Min(Math.Max(Normalize(_start ?? 0, length), 0), length);
            var upper = Math.Min(Math.Max(Normalize(_end ?? length, length), 0), length);
            if (lower >= upper)
            {
                return;
            }

            var path = parent.Get();

            // Enumerating is linear; indexing an array of objects walks from the start each time.
            long i = 0;
            foreach (var element in value.EnumerateArray())
            {
                if (i >= upper)
                {
                    break;
                }

                if (i >= lower && (i - lower) % _step == 0)
                {
                    output.Add(element, path, (int)i, null);
                }

                i++;
            }
        }
        else
        {
            var upper = Math.Min(Math.Max(Normalize(_start ?? length - 1, length), -1), length - 1);
            var lower = Math.Min(Math.Max(Normalize(_end ?? -length - 1, length), -1), length - 1);
            if (upper <= lower)
            {
                return;
            }

            // Indexing from the end would walk from the start for every element (quadratic on arrays of objects):
            // enumerate the selected range forward once, then emit it backwards.
            var count = (int)(upper - lower);
            var elements = ArrayPool<JsonElement>.Shared.Rent(count);
            var i = 0L;
            foreach (var element in value.EnumerateArray())
            {
                if (i > upper)
                {
                    break;
                }

                if (i > lower)
                {
                    elements[i - lower - 1] = element;
                }

                i++;
            }

            var path = parent.Get();
            for (var j = upper; lower < j; j += _step)
            {
                output.Add(elements[j - lower - 1], path, (int)j, null);
            }

            Array.Clear(elements, 0, count);
            ArrayPool<JsonElement>.Shared.Return(elements);
        }
    }

    private static long Normalize(long index, long length) => index >= 0 ? index : length + index;
}
