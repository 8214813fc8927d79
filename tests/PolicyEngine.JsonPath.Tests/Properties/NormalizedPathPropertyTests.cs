using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace PolicyEngine.JsonPath.Tests.Properties;

/// <summary>
/// Property tests (CsCheck): random documents and random queries from RFC 9535's grammar. Whatever a query selects,
/// each node's normalized path leads to that node when followed step by step, selects exactly that node when
/// evaluated as a query, and the fast paths agree with the general segment-by-segment evaluation.
/// </summary>
public class NormalizedPathPropertyTests
{
    // Names that need escaping in a normalized path, or that look like other syntax, beside plain ones.
    private static readonly string[] Names = ["a", "b", "c", "", "a b", "'", "\"", "\\", "é", "\U0001F600", "\u0001", "\u007f", "0", "$", "@", "*", "..", "a'b"];

    private static readonly Gen<string> Name = Gen.OneOf(Names);

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf<JsonNode?>(
        Gen.Const<JsonNode?>((JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Int[-3, 3].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.OneOf(1.5, -0.0, 1e-30, 1e300).Select(d => (JsonNode?)JsonValue.Create(d)),
        Name.Select(s => (JsonNode?)JsonValue.Create(s)));

    private static Gen<JsonNode?> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (2, Scalar),
            (3, Value(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
            (3, Gen.Select(Name, Value(depth - 1)).Array[0, 4].Select(members =>
            {
                var obj = new JsonObject();
                foreach (var (name, value) in members)
                {
                    obj[name] = value?.DeepClone(); // a repeated name keeps its last value: documents have unique names
                }

                return (JsonNode?)obj;
            })));

    private static readonly Gen<string> Literal = Gen.OneOf(
        Gen.Int[-2, 3].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf("true", "false", "null", "1.5", "1e-30", "-0", "'a'", "''", "'\\''"));

    private static readonly Gen<string> Filter = Gen.OneOf(
        Gen.OneOf("@", "@.a", "@.b", "@[0]", "@.*", "$.a", "@..a", "!@.a", "length(@) > 1", "count(@.*) == 2", "match(@, 'a.*')", "search(@.a, '[ab]')", "value(@..c) == 1"),
        Gen.Select(Gen.OneOf("@", "@.a", "@[0]", "@.b.c", "length(@)", "$.a"), Gen.OneOf("==", "!=", "<", "<=", ">", ">="), Literal,
            (left, op, right) => $"{left} {op} {right}"),
        Gen.Select(Gen.OneOf("@.a", "@[0]", "@.b"), Gen.OneOf("&&", "||"), Gen.OneOf("@.b", "@ == 1", "!@.c"),
            (left, op, right) => $"({left} {op} {right})"));

    private static readonly Gen<string> Selector = Gen.OneOf(
        Name.Select(Quote),
        Gen.Const("*"),
        Gen.Int[-4, 4].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Select(Gen.Int[-4, 4], Gen.Int[-4, 4], Gen.OneOf("", "1", "2", "-1", "-2", "0"),
            (start, end, step) => step.Length == 0 ? $"{start}:{end}" : $"{start}:{end}:{step}"),
        Gen.OneOf("::-1", ":", "1:", ":2"),
        Filter.Select(f => "?" + f));

    private static readonly Gen<string> Segment = Gen.OneOf(
        Gen.OneOf(".a", ".b", ".c", ".*", "..*", "..a", "..[0]"),
        Selector.Array[1, 3].Select(s => "[" + string.Join(",", s) + "]"),
        Selector.Select(s => "..[" + s + "]"));

    private static readonly Gen<string> Query = Segment.Array[0, 4].Select(s => "$" + string.Concat(s));

    private static readonly Gen<(string Document, string Query)> Case =
        Gen.Select(Value(4), Query, (document, query) => (document?.ToJsonString() ?? "null", query));

    [Fact]
    public void Every_normalized_path_selects_exactly_its_own_node()
    {
        Case.Sample(c =>
        {
            using var document = JsonDocument.Parse(c.Document);
            var root = document.RootElement;
            var query = JsonPathQuery.Parse(c.Query);
            foreach (var node in query.Evaluate(root))
            {
                var path = node.Location;
                Assert.True(JsonElement.DeepEquals(Follow(root, path), node.Value), $"{path} leads elsewhere");
                var again = JsonPathQuery.Parse(path.ToString()).Evaluate(root);
                var own = Assert.Single(again.AsSpan().ToArray());
                Assert.Equal(path, own.Location);
                Assert.True(JsonElement.DeepEquals(own.Value, node.Value), $"{path} selects another value");
            }
        }, iter: 3000, print: c => $"{c.Query} on {c.Document}");
    }

    [Fact]
    public void Fast_paths_and_the_document_index_agree_with_the_general_evaluation()
    {
        Case.Sample(c =>
        {
            using var document = JsonDocument.Parse(c.Document);
            var root = document.RootElement;
            var expected = Show(JsonPathQuery.ParseGeneral(c.Query).EvaluateSegments(root));
            Assert.Equal(expected, Show(JsonPathQuery.Parse(c.Query).Evaluate(root)));
            Assert.Equal(expected, Show(JsonPathQuery.Parse(c.Query).Evaluate(root, JsonPathDocumentIndex.Build(root, minArrayLength: 1))));
        }, iter: 3000, print: c => $"{c.Query} on {c.Document}");
    }

    private static string Show(NodeList nodes)
    {
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            text.Append(node.Location).Append('=').Append(node.Value.GetRawText()).Append('\n');
        }

        return text.ToString();
    }

    // The oracle: follow the path's steps with System.Text.Json alone, without the evaluator.
    private static JsonElement Follow(JsonElement root, NormalizedPath path)
    {
        var current = root;
        foreach (var step in path.Segments)
        {
            current = step.IsName ? current.GetProperty(step.Name!) : current[step.Index];
        }

        return current;
    }

    private static string Quote(string name)
    {
        var text = new StringBuilder("'");
        foreach (var c in name)
        {
            text.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }
}
