using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>
/// Parse and evaluate of rule-style selectors on a 100k-resource snapshot: PolicyEngine.JsonPath over
/// <see cref="JsonElement"/> against Newtonsoft.Json's <c>SelectTokens</c> over <see cref="JToken"/>.
/// json-p3 runs the same queries on the same file under Node (bench/jsonpath/run-json-p3.mjs).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class JsonPathBenchmarks
{
    private JsonDocument? _document;
    private JObject? _token;
    private JsonPathQuery? _query;
    private string _rfcText = "";
    private string? _newtonsoftText;

    public static IEnumerable<string> QueryNames => JsonPathBenchmarkQueries.All.Select(q => q.Name);

    [ParamsSource(nameof(QueryNames))]
    public string Query { get; set; } = "";

    [GlobalSetup(Targets = [nameof(PolicyEngineEvaluate), nameof(PolicyEngineParse)])]
    public void SetupPolicyEngine()
    {
        SetupQuery();
        _document = JsonDocument.Parse(JsonPathBenchmarkData.LoadOrGenerate());
        _query = JsonPathQuery.Parse(_rfcText);
    }

    [GlobalSetup(Target = nameof(NewtonsoftSelectTokens))]
    public void SetupNewtonsoft()
    {
        SetupQuery();
        using var reader = new Newtonsoft.Json.JsonTextReader(new StreamReader(new MemoryStream(JsonPathBenchmarkData.LoadOrGenerate())));
        _token = JObject.Load(reader);
    }

    [GlobalCleanup]
    public void Cleanup() => _document?.Dispose();

    /// <summary>Evaluates the precompiled query; results carry values and (lazily rendered) normalized paths.</summary>
    [Benchmark(Baseline = true)]
    public int PolicyEngineEvaluate() => _query!.Evaluate(_document!.RootElement).Count;

    /// <summary>Newtonsoft parses the path on every call; its tokens carry lazily computed paths.</summary>
    [Benchmark]
    public int NewtonsoftSelectTokens()
    {
        if (_newtonsoftText is null)
        {
            return -1;
        }

        var count = 0;
        foreach (var _ in _token!.SelectTokens(_newtonsoftText))
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public JsonPathQuery PolicyEngineParse() => JsonPathQuery.Parse(_rfcText);

    private void SetupQuery()
    {
        var query = JsonPathBenchmarkQueries.Get(Query);
        _rfcText = query.Rfc9535;
        _newtonsoftText = query.Newtonsoft;
    }
}
