using System.Text.Json;

namespace PolicyEngine.JsonPath.Tests;

/// <summary>Runs every case of the JSONPath Compliance Test Suite (RFC 9535) as one row of one theory.</summary>
public sealed class ComplianceTestSuiteTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(LoadCases);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Value.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Cts(string name)
    {
        var testCase = Cases.Value[name];
        var selector = testCase.GetProperty("selector").GetString()!;

        if (testCase.TryGetProperty("invalid_selector", out var invalid) && invalid.GetBoolean())
        {
            Assert.False(JsonPathQuery.TryParse(selector, out _, out var error), $"TryParse accepted invalid selector {selector}");
            Assert.NotNull(error);
            var exception = Assert.Throws<JsonPathParseException>(() => JsonPathQuery.Parse(selector));
            Assert.Equal(error!.Position, exception.Position);
            return;
        }

        var query = JsonPathQuery.Parse(selector);
        Assert.True(JsonPathQuery.TryParse(selector, out _, out _));
        var document = testCase.GetProperty("document");
        var actual = query.Evaluate(document);
        var actualPaths = actual.Select(n => n.Location.ToString()).ToList();

        if (testCase.TryGetProperty("result", out var expected))
        {
            AssertSameNodes(expected, testCase.GetProperty("result_paths"), actual, actualPaths);
            return;
        }

        var alternatives = testCase.GetProperty("results").EnumerateArray().ToList();
        var alternativePaths = testCase.GetProperty("results_paths").EnumerateArray().ToList();
        var matched = alternatives.Where((alternative, i) => Matches(alternative, alternativePaths[i], actual, actualPaths)).Any();
        Assert.True(matched, $"Result {Render(actual)} at {string.Join(", ", actualPaths)} matches none of the allowed results");
    }

    private static void AssertSameNodes(JsonElement expected, JsonElement expectedPaths, NodeList actual, List<string> actualPaths)
    {
        Assert.Equal(expectedPaths.EnumerateArray().Select(p => p.GetString()!).ToList(), actualPaths);
        Assert.True(Matches(expected, expectedPaths, actual, actualPaths), $"Expected {expected.GetRawText()}, got {Render(actual)}");
    }

    private static bool Matches(JsonElement expected, JsonElement expectedPaths, NodeList actual, List<string> actualPaths)
    {
        var values = expected.EnumerateArray().ToList();
        var paths = expectedPaths.EnumerateArray().Select(p => p.GetString()!).ToList();
        if (values.Count != actual.Count || !paths.SequenceEqual(actualPaths, StringComparer.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!JsonElement.DeepEquals(values[i], actual[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    private static string Render(NodeList nodes) => "[" + string.Join(",", nodes.Select(n => n.Value.GetRawText())) + "]";

    private static Dictionary<string, JsonElement> LoadCases()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "cts", "cts.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        var cases = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var testCase in document.RootElement.GetProperty("tests").EnumerateArray())
        {
            cases.Add(testCase.GetProperty("name").GetString()!, testCase.Clone());
        }

        return cases;
    }
}
