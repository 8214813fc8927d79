using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;

namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>
/// The measurement behind the document-model choice: the same filter-style walk (every resource's
/// <c>configuration.isMultiRegionTrail</c>) over <see cref="JsonElement"/> and over <see cref="JsonNode"/>,
/// plus the cost of loading the snapshot into each model (and into Newtonsoft.Json's JToken, the peer's model).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class DocumentModelBenchmarks
{
    private byte[] _bytes = [];
    private JsonDocument? _document;
    private JsonNode? _node;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = JsonPathBenchmarkData.LoadOrGenerate();
        _document = JsonDocument.Parse(_bytes);
        _node = JsonNode.Parse(_bytes);
        _ = WalkJsonNode();
    }

    [GlobalCleanup]
    public void Cleanup() => _document?.Dispose();

    [Benchmark(Baseline = true)]
    public int WalkJsonElement()
    {
        var count = 0;
        foreach (var resource in _document!.RootElement.GetProperty("resources"u8).EnumerateArray())
        {
            if (resource.TryGetProperty("configuration"u8, out var configuration)
                && configuration.TryGetProperty("isMultiRegionTrail"u8, out var flag)
                && flag.ValueKind == JsonValueKind.True)
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public int WalkJsonNode()
    {
        var count = 0;
        foreach (var resource in _node!["resources"]!.AsArray())
        {
            if (resource?["configuration"]?["isMultiRegionTrail"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True)
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public int LoadJsonDocument()
    {
        using var document = JsonDocument.Parse(_bytes);
        return document.RootElement.GetArrayLengthOrZero();
    }

    /// <summary>What Newtonsoft.Json's SelectTokens needs first: the snapshot as a JObject (loaded as JsonPathBenchmarks loads it).</summary>
    [Benchmark]
    public int LoadNewtonsoftJObject()
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StreamReader(new MemoryStream(_bytes)));
        return Newtonsoft.Json.Linq.JObject.Load(reader)["resources"]!.Count();
    }

    [Benchmark]
    public int LoadJsonNodeAndWalk()
    {
        _node = JsonNode.Parse(_bytes);
        return WalkJsonNode();
    }
}

internal static class JsonElementExtensions
{
    public static int GetArrayLengthOrZero(this JsonElement element) =>
        element.TryGetProperty("resources"u8, out var resources) ? resources.GetArrayLength() : 0;
}
