using System.Text;
using System.Text.Json;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Fuzz.Targets;

/// <summary>
/// The JSONPath parser and evaluator. Input: the query, a NUL byte, then the JSON document (run.sh writes the
/// compliance test suite's cases in this shape). A query that does not parse must come back as a
/// <see cref="JsonPathError"/> inside the text; a query that parses must evaluate without throwing, and every
/// normalized path it returns must select exactly the node it was returned with.
/// </summary>
internal sealed class JsonPathTarget : IFuzzTarget
{
    // Re-querying every node of a large result would make one input cost seconds; the first ones catch path bugs.
    private const int PathsChecked = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    private static readonly JsonDocumentOptions UniqueNamesOptions = new() { MaxDepth = 256, AllowDuplicateProperties = false };

    public string Name => "jsonpath";

    public void Run(ReadOnlySpan<byte> input)
    {
        var separator = input.IndexOf((byte)0);
        var queryBytes = separator < 0 ? input : input[..separator];
        var documentBytes = separator < 0 ? "{}"u8 : input[(separator + 1)..];

        // The parser takes .NET strings: invalid UTF-8 becomes U+FFFD as it would in any caller's string.
        var text = Encoding.UTF8.GetString(queryBytes);
        if (!JsonPathQuery.TryParse(text, out var query, out var error))
        {
            if (error.Position < 0 || error.Position > text.Length)
            {
                throw new FuzzInvariantException($"Parse error position {error.Position} is outside the query of {text.Length} characters.");
            }

            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(documentBytes.ToArray(), DocumentOptions);
        }
        catch (JsonException)
        {
            return; // Not a JSON document: System.Text.Json's business, not ours.
        }

        using (document)
        {
            var root = document.RootElement;
            var nodes = query.Evaluate(root);
            var index = JsonPathDocumentIndex.Build(root, minArrayLength: 1); // every array indexed, so fuzzed inputs reach the index too
            var indexed = query.Evaluate(root, index);
            if (indexed.Count != nodes.Count)
            {
                throw new FuzzInvariantException($"The indexed evaluation found {indexed.Count} nodes, the plain one {nodes.Count}.");
            }

            // The round trip is a promise for I-JSON documents only (RFC 7493). A member name whose bytes are not UTF-8
            // reads as U+FFFD (JsonStrings), so its path cannot lead back to it; and where an object repeats a name,
            // which RFC 8259 leaves undefined, $['b'] selects one of the members named b, not each of them.
            var pathsChecked = System.Text.Unicode.Utf8.IsValid(documentBytes) && HasUniqueNames(documentBytes) ? PathsChecked : 0;
            for (var i = 0; i < nodes.Count && i < pathsChecked; i++)
            {
                CheckPathSelectsItsNode(root, nodes[i]);
                if (!nodes[i].Location.Equals(indexed[i].Location))
                {
                    throw new FuzzInvariantException($"Node {i}: the indexed evaluation says {indexed[i].Location}, the plain one {nodes[i].Location}.");
                }
            }
        }
    }

    private static bool HasUniqueNames(ReadOnlySpan<byte> documentBytes)
    {
        try
        {
            using var strict = JsonDocument.Parse(documentBytes.ToArray(), UniqueNamesOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ReadOnlySpan<byte> Raw(JsonElement element) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);

    private static void CheckPathSelectsItsNode(JsonElement root, JsonPathNode node)
    {
        var path = node.Location.ToString();
        if (!JsonPathQuery.TryParse(path, out var own, out var error))
        {
            throw new FuzzInvariantException($"The normalized path {path} does not parse: {error}.");
        }

        var again = own.Evaluate(root);
        if (again.Count != 1 || !again[0].Location.Equals(node.Location) || !Raw(again[0].Value).SequenceEqual(Raw(node.Value)))
        {
            throw new FuzzInvariantException($"The normalized path {path} selects {again.Count} nodes, not exactly its own node.");
        }
    }
}
