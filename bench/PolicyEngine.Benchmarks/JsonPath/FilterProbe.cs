using System.Diagnostics;
using System.Text.Json;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>Stopwatch probe for the FilterNested query: the library against hand-written JsonElement loops.</summary>
public static class FilterProbe
{
    private static readonly byte[] Configuration = "configuration"u8.ToArray();
    private static readonly byte[] IsMultiRegionTrail = "isMultiRegionTrail"u8.ToArray();

    public static void Run(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = document.RootElement;
        var query = JsonPathQuery.Parse("$.resources[?@.configuration.isMultiRegionTrail == true]");
        var resources = root.GetProperty("resources");
        for (var round = 0; round < 6; round++)
        {
            Measure("library Evaluate", () => query.Evaluate(root).Count);
            Measure("step a: enumerate resources", () => { var n = 0; foreach (var r in resources.EnumerateArray()) { n += (int)r.ValueKind; } return n; });
            Measure("step b: + TryGetProperty(configuration)", () => { var n = 0; foreach (var r in resources.EnumerateArray()) { if (r.TryGetProperty(Configuration, out var c)) { n += (int)c.ValueKind; } } return n; });
            Measure("step b': + raw value span of resource", () => { var n = 0; foreach (var r in resources.EnumerateArray()) { n += System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(r).Length; } return n; });
            Measure("hand: plain", () => Plain(resources));
            Measure("hand: lookahead raw touch 4", () => Lookahead(resources, 4, false));
            Measure("hand: lookahead raw touch+prefetch 4", () => Lookahead(resources, 4, true));
            Measure("hand: lookahead raw touch+prefetch 8", () => Lookahead(resources, 8, true));
            Measure("hand: pipelined 1 ahead", () => Pipelined(resources, 1));
            Measure("hand: pipelined 2 ahead", () => Pipelined(resources, 2));
            Measure("hand: pipelined 4 ahead", () => Pipelined(resources, 4));
            Measure("hand: two passes (configs, then test)", () => TwoPass(resources));
        }
    }

    private static int Plain(JsonElement resources)
    {
        var n = 0;
        foreach (var r in resources.EnumerateArray())
        {
            if (r.TryGetProperty(Configuration, out var c) && c.ValueKind == JsonValueKind.Object && Find(c, out var v) && v.ValueKind == JsonValueKind.True)
            {
                n++;
            }
        }

        return n;
    }

    private static int Pipelined(JsonElement resources, int ahead)
    {
        var ring = new JsonElement[ahead + 1];
        var has = new bool[ahead + 1];
        var n = 0;
        var i = 0;
        var e = resources.EnumerateArray();
        var count = resources.GetArrayLength();
        // Prime.
        for (; i < ahead && e.MoveNext(); i++)
        {
            has[i % (ahead + 1)] = e.Current.TryGetProperty(Configuration, out ring[i % (ahead + 1)]);
        }

        for (var k = 0; k < count; k++)
        {
            if (e.MoveNext())
            {
                var slot = (k + ahead) % (ahead + 1);
                has[slot] = e.Current.TryGetProperty(Configuration, out ring[slot]);
            }

            var cur = k % (ahead + 1);
            if (has[cur] && ring[cur].ValueKind == JsonValueKind.Object && Find(ring[cur], out var v) && v.ValueKind == JsonValueKind.True)
            {
                n++;
            }
        }

        return n;
    }

    private static unsafe int Lookahead(JsonElement resources, int ahead, bool prefetch)
    {
        var n = 0;
        var lead = resources.EnumerateArray();
        for (var i = 0; i < ahead && lead.MoveNext(); i++)
        {
        }

        foreach (var r in resources.EnumerateArray())
        {
            if (lead.MoveNext())
            {
                var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(lead.Current);
                if (prefetch && raw.Length >= 512)
                {
                    fixed (byte* p = raw)
                    {
                        var end = p + raw.Length;
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(end - 64);
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(end - 128);
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(end - 192);
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(end - 256);
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(end - 320);
                        System.Runtime.Intrinsics.X86.Sse.Prefetch0(end - 384);
                    }
                }
            }

            if (r.TryGetProperty(Configuration, out var c) && c.ValueKind == JsonValueKind.Object && Find(c, out var v) && v.ValueKind == JsonValueKind.True)
            {
                n++;
            }
        }

        return n;
    }

    private static int TwoPass(JsonElement resources)
    {
        var configs = new JsonElement[resources.GetArrayLength()];
        var i = 0;
        foreach (var r in resources.EnumerateArray())
        {
            r.TryGetProperty(Configuration, out configs[i++]);
        }

        var n = 0;
        foreach (var c in configs)
        {
            if (c.ValueKind == JsonValueKind.Object && Find(c, out var v) && v.ValueKind == JsonValueKind.True)
            {
                n++;
            }
        }

        return n;
    }

    private static bool Find(JsonElement obj, out JsonElement value)
    {
        foreach (var m in obj.EnumerateObject())
        {
            if (m.NameEquals(IsMultiRegionTrail))
            {
                value = m.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static void Measure(string name, Func<int> body)
    {
        var best = double.MaxValue;
        var result = 0;
        for (var r = 0; r < 7; r++)
        {
            var sw = Stopwatch.StartNew();
            result = body();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{name,-42} {best,8:F1} ms  ({result})");
    }
}
