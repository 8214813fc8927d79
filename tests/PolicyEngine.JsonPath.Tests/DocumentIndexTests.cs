using System.Text;
using System.Text.Json;

namespace PolicyEngine.JsonPath.Tests;

/// <summary>Evaluation with a <see cref="JsonPathDocumentIndex"/> must select exactly what evaluation without one selects.</summary>
public sealed class DocumentIndexTests
{
    [Fact]
    public void Every_compliance_case_gives_the_same_nodes_with_and_without_an_index()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "cts", "cts.json");
        using var suite = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        var checkedCases = 0;
        foreach (var testCase in suite.RootElement.GetProperty("tests").EnumerateArray())
        {
            if (testCase.TryGetProperty("invalid_selector", out var invalid) && invalid.GetBoolean())
            {
                continue;
            }

            var selector = testCase.GetProperty("selector").GetString()!;
            var document = testCase.GetProperty("document");
            var index = JsonPathDocumentIndex.Build(document, minArrayLength: 0);
            AssertSame(JsonPathQuery.Parse(selector), document, index);
            AssertSame(JsonPathQuery.ParseGeneral(selector), document, index);
            var onDemand = JsonPathDocumentIndex.Create(document, minArrayLength: 0);
            AssertSame(JsonPathQuery.Parse(selector), document, onDemand);
            AssertSame(JsonPathQuery.ParseGeneral(selector), document, onDemand);
            checkedCases++;
        }

        Assert.True(checkedCases > 200, $"only {checkedCases} cases checked");
    }

    [Theory]
    [InlineData("$.items[0].id")]
    [InlineData("$.items[4999].inner[1]")]
    [InlineData("$.items[5000].id")]
    [InlineData("$.items[-1].id")]
    [InlineData("$.items[-5000].inner[0]")]
    [InlineData("$.items[-5001].id")]
    [InlineData("$.items[7000]")]
    [InlineData("$.items[4321,-1,17].id")]
    [InlineData("$.items[-2]")]
    [InlineData("$.nested[*][1500]")]
    [InlineData("$.nested[*][-1]")]
    [InlineData("$.nested[1][-2000].id")]
    [InlineData("$.small[1]")]
    [InlineData("$.small[-1]")]
    [InlineData("$.items[?@.inner[1] == 4242].id")]
    [InlineData("$.items[?$.items[-1].id == @.id].id")]
    [InlineData("$..[2500]")]
    public void Large_arrays_give_the_same_nodes_with_and_without_an_index(string text)
    {
        using var document = JsonDocument.Parse(LargeDocument());
        var root = document.RootElement;
        var index = JsonPathDocumentIndex.Build(root);
        Assert.Equal(3, index.ArrayCount); // items and the two large nested arrays; "small" and "inner" are below the threshold
        var fast = AssertSame(JsonPathQuery.Parse(text), root, index);
        AssertSame(JsonPathQuery.ParseGeneral(text), root, index);
        Assert.Equal(fast.Select(n => n.Location.ToString()), JsonPathQuery.ParseGeneral(text).EvaluateSegments(root).Select(n => n.Location.ToString()));

        var onDemand = JsonPathDocumentIndex.Create(root);
        Assert.Equal(0, onDemand.ArrayCount);
        AssertSame(JsonPathQuery.Parse(text), root, onDemand);
        AssertSame(JsonPathQuery.ParseGeneral(text), root, onDemand);
        Assert.InRange(onDemand.ArrayCount, 0, 3);
    }

    [Theory]
    [InlineData("$.small[1]", 0)]
    [InlineData("$.items[*].id", 0)]
    [InlineData("$.items[5000].id", 1)]
    [InlineData("$.items[5000,-1].id", 1)]
    [InlineData("$.nested[*][-1]", 2)]
    [InlineData("$.nested[0][1]", 0)]
    public void On_demand_index_indexes_only_the_large_arrays_an_index_selector_reaches(string text, int indexedArrays)
    {
        using var document = JsonDocument.Parse(LargeDocument());
        var index = JsonPathDocumentIndex.Create(document.RootElement);
        Assert.True(index.OnDemand);
        Assert.False(JsonPathDocumentIndex.Build(document.RootElement).OnDemand);
        AssertSame(JsonPathQuery.Parse(text), document.RootElement, index);
        Assert.Equal(indexedArrays, index.ArrayCount);
    }

    [Fact]
    public void On_demand_index_shared_by_parallel_queries_gives_the_same_nodes()
    {
        using var document = JsonDocument.Parse(LargeDocument());
        var root = document.RootElement;
        var index = JsonPathDocumentIndex.Create(root);
        var queries = Enumerable.Range(0, 64).Select(i => JsonPathQuery.Parse($"$.items[{(i * 97) - 3000}].id")).ToArray();
        var expected = queries.Select(q => q.Evaluate(root).Single().Value.GetInt32()).ToArray();
        var actual = new int[queries.Length];
        Parallel.For(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = queries[i].Evaluate(root, index).Single().Value.GetInt32());
        Assert.Equal(expected, actual);
        Assert.Equal(1, index.ArrayCount);
    }

    [Fact]
    public void Index_selects_the_expected_elements()
    {
        using var document = JsonDocument.Parse(LargeDocument());
        var index = JsonPathDocumentIndex.Build(document.RootElement);
        var nodes = JsonPathQuery.Parse("$.items[5000].id").Evaluate(document.RootElement, index);
        Assert.Equal(5000, nodes.Single().Value.GetInt32());
        Assert.Equal("$['items'][5000]['id']", nodes[0].Location.ToString());
        nodes = JsonPathQuery.Parse("$.items[-1].id").Evaluate(document.RootElement, index);
        Assert.Equal(5999, nodes.Single().Value.GetInt32());
        Assert.Equal("$['items'][5999]['id']", nodes[0].Location.ToString());
    }

    [Fact]
    public void Index_for_another_root_is_rejected()
    {
        using var first = JsonDocument.Parse(LargeDocument());
        using var second = JsonDocument.Parse(LargeDocument());
        var index = JsonPathDocumentIndex.Build(first.RootElement);
        Assert.True(index.IsFor(first.RootElement));
        Assert.False(index.IsFor(second.RootElement));
        Assert.False(index.IsFor(first.RootElement.GetProperty("items")));
        Assert.Throws<ArgumentException>(() => JsonPathQuery.Parse("$.items[1]").Evaluate(second.RootElement, index));
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonPathDocumentIndex.Build(first.RootElement, -1));

        var onDemand = JsonPathDocumentIndex.Create(first.RootElement);
        Assert.True(onDemand.IsFor(first.RootElement));
        Assert.False(onDemand.IsFor(second.RootElement));
        Assert.Throws<ArgumentException>(() => JsonPathQuery.Parse("$.items[1]").Evaluate(second.RootElement, onDemand));
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonPathDocumentIndex.Create(first.RootElement, -1));
    }

    private static byte[] LargeDocument()
    {
        var json = new StringBuilder("{\"items\":[");
        for (var i = 0; i < 6000; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"inner\":[").Append(i).Append(',').Append(i + 1).Append("]}");
        }

        json.Append("],\"nested\":[[1,2],");
        for (var n = 0; n < 2; n++)
        {
            json.Append(n == 0 ? "[" : ",[");
            for (var i = 0; i < 3000 + n; i++)
            {
                json.Append(i == 0 ? "" : ",").Append("{\"id\":").Append((n * 10000) + i).Append('}');
            }

            json.Append(']');
        }

        json.Append("],\"small\":[{\"a\":1},{\"b\":2}]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static NodeList AssertSame(JsonPathQuery query, JsonElement root, JsonPathDocumentIndex index)
    {
        var plain = query.Evaluate(root);
        var indexed = query.Evaluate(root, index);
        Assert.Equal(plain.Select(n => n.Location.ToString()), indexed.Select(n => n.Location.ToString()));
        for (var i = 0; i < plain.Count; i++)
        {
            Assert.True(JsonElement.DeepEquals(plain[i].Value, indexed[i].Value), $"{query}: node {i} differs");
            Assert.Equal(plain[i].Location, indexed[i].Location);
        }

        return indexed;
    }
}
