using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>
/// The optional <see cref="JsonPathDocumentIndex"/>: NameChain evaluated with it, and what getting one costs, so the
/// saving can be weighed against it: <c>Build</c> walks the whole 100k-resource snapshot up front; <c>Create</c> is
/// free and indexes the 100k-element <c>resources</c> array on the first query that indexes into it.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class JsonPathIndexBenchmarks
{
    private JsonDocument? _document;
    private JsonPathQuery? _query;
    private JsonPathDocumentIndex? _index;
    private JsonPathDocumentIndex? _onDemand;

    [GlobalSetup]
    public void Setup()
    {
        _document = JsonDocument.Parse(JsonPathBenchmarkData.LoadOrGenerate());
        _query = JsonPathQuery.Parse(JsonPathBenchmarkQueries.Get("NameChain").Rfc9535);
        _index = JsonPathDocumentIndex.Build(_document.RootElement);
        _onDemand = JsonPathDocumentIndex.Create(_document.RootElement);
        _ = _query.Evaluate(_document.RootElement, _onDemand);
    }

    [GlobalCleanup]
    public void Cleanup() => _document?.Dispose();

    [Benchmark]
    public int NameChainWithIndex() => _query!.Evaluate(_document!.RootElement, _index).Count;

    [Benchmark]
    public int NameChainWithoutIndex() => _query!.Evaluate(_document!.RootElement).Count;

    [Benchmark]
    public int NameChainWithOnDemandIndex() => _query!.Evaluate(_document!.RootElement, _onDemand).Count;

    [Benchmark]
    public JsonPathDocumentIndex BuildIndex() => JsonPathDocumentIndex.Build(_document!.RootElement);

    /// <summary>A fresh on-demand index and its first NameChain query: the query pays for indexing <c>resources</c>.</summary>
    [Benchmark]
    public int CreateIndexAndFirstQuery() => _query!.Evaluate(_document!.RootElement, JsonPathDocumentIndex.Create(_document.RootElement)).Count;
}
