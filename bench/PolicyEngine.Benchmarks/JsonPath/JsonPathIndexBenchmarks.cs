using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>
/// The optional <see cref="JsonPathDocumentIndex"/>: NameChain evaluated with it, and what building it costs
/// (one walk of the whole 100k-resource snapshot), so the saving can be weighed against the build.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class JsonPathIndexBenchmarks
{
    private JsonDocument? _document;
    private JsonPathQuery? _query;
    private JsonPathDocumentIndex? _index;

    [GlobalSetup]
    public void Setup()
    {
        _document = JsonDocument.Parse(JsonPathBenchmarkData.LoadOrGenerate());
        _query = JsonPathQuery.Parse(JsonPathBenchmarkQueries.Get("NameChain").Rfc9535);
        _index = JsonPathDocumentIndex.Build(_document.RootElement);
    }

    [GlobalCleanup]
    public void Cleanup() => _document?.Dispose();

    [Benchmark]
    public int NameChainWithIndex() => _query!.Evaluate(_document!.RootElement, _index).Count;

    [Benchmark]
    public int NameChainWithoutIndex() => _query!.Evaluate(_document!.RootElement).Count;

    [Benchmark]
    public JsonPathDocumentIndex BuildIndex() => JsonPathDocumentIndex.Build(_document!.RootElement);
}
