using System.Text.Json;

namespace PolicyEngine.JsonPath.Tests;

/// <summary>
/// The fast paths (depth-first child-segment chains, in-place literal comparisons, precompiled match/search) must
/// select exactly what the general segment-by-segment evaluator selects: same values, same locations, same order.
/// </summary>
public sealed class FastPathTests
{
    private const string Document = """
        {"resources":[
          {"resourceType":"AWS::S3::Bucket","resourceId":"b-1","awsRegion":"eu-west-1","tags":{"env":"prod","o":1},"arn":"arn:aws:iam::1:role/admin-1","configuration":{"isMultiRegionTrail":true,"list":[1,2,3]}},
          {"resourceType":"AWS::EC2::Instance","resourceId":"i-0abcdef7","awsRegion":"us-east-1","tags":{"env":"dev"},"arn":"x","configuration":{"isMultiRegionTrail":false}},
          {"resourceType":"k\u0027ey","resourceId":"i-0123457","awsRegion":"eu-west-1","tags":{"env":"pr\u006fd"},"configuration":{"isMultiRegionTrail":"true","list":[]}},
          {"resourceId":null,"awsRegion":"eu-west-1","tags":{"env":null},"configuration":null},
          [1,{"resourceType":"nested"}],
          "text", 7, true, null
        ],
        "a'b":{"x":{"y":1},"z":[{"y":2},{"y":3}]},
        "m":{"p":{"q":1},"r":{"q":2},"s":{"t":0}}}
        """;

    public static TheoryData<string> Queries() =>
    [
        "$.resources[*].resourceType",
        "$.resources[*]",
        "$.resources[*].*",
        "$.resources.*.tags.env",
        "$.resources[0,2,0].resourceId",
        "$.resources[-1,1]['resourceId','awsRegion']",
        "$.resources[1:4].awsRegion",
        "$.resources[::-2].tags",
        "$.resources[*][1].resourceType",
        "$.resources[?@.configuration.isMultiRegionTrail == true]",
        "$.resources[?@.configuration.isMultiRegionTrail != true].resourceId",
        "$.resources[?true == @.configuration.isMultiRegionTrail].resourceId",
        "$.resources[?@.awsRegion == 'eu-west-1' && @.tags.env == 'prod'].resourceId",
        "$.resources[?@.awsRegion == 'eu-west-1' || @.tags.env == 'dev'].resourceId",
        "$.resources[?@.tags.env != 'prod'].tags",
        "$.resources[?@.resourceId == null].awsRegion",
        "$.resources[?@.configuration == null]",
        "$.resources[?@ == 'text']",
        "$.resources[?@ == false]",
        "$.resources[?'eu-west-1' == @.awsRegion].tags.*",
        "$.resources[?match(@.resourceId, 'i-0[0-9a-f]{5,6}7')].resourceId",
        "$.resources[?search(@.arn, ':role/admin')].arn",
        "$.resources[?search(@.arn, '[')].arn",
        "$.resources[?match(@, 'te.t')]",
        "$.resources[?!match(@.resourceId, 'b-.*')].resourceId",
        "$.resources[?@.configuration.list[?@ > 1]].resourceId",
        "$.resources[?length(@.configuration.list) >= 3].resourceId",
        "$.m[?@.q].q",
        "$.m.*.*",
        "$['a\\'b'].z[*].y",
        "$['a\\'b'][*][*]",
        "$.m[?@.q == 2]",
        "$.nothing[*].x",
        "$.resources[4][*].resourceType",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void Fast_and_general_paths_select_the_same_nodes(string query)
    {
        using var document = JsonDocument.Parse(Document);
        AssertSame(query, document.RootElement);
    }

    [Fact]
    public void Every_compliance_case_gives_the_same_nodes_on_both_paths()
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

            AssertSame(testCase.GetProperty("selector").GetString()!, testCase.GetProperty("document"));
            checkedCases++;
        }

        Assert.True(checkedCases > 200, $"only {checkedCases} cases checked");
    }

    [Fact]
    public void Chain_results_carry_locations_that_share_their_parent()
    {
        using var document = JsonDocument.Parse(Document);
        var nodes = JsonPathQuery.Parse("$.m.*.q").Evaluate(document.RootElement);
        Assert.Equal(["$['m']['p']['q']", "$['m']['r']['q']"], nodes.Select(n => n.Location.ToString()));
        Assert.Equal([PathSegment.FromName("m"), PathSegment.FromName("p"), PathSegment.FromName("q")], nodes[0].Location.Segments);
    }

    [Fact]
    public void Name_lookup_hints_are_per_evaluation_and_do_not_change_results()
    {
        // A name found late in one object must still be found early in the next one, and in later evaluations.
        var late = "{" + string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"k{i}\":{i}")) + ",\"x\":\"late\"}";
        var json = $"[{late},{{\"x\":\"early\",\"k0\":0}},{late}]";
        using var document = JsonDocument.Parse(json);
        var query = JsonPathQuery.Parse("$[*].x");
        for (var run = 0; run < 2; run++)
        {
            Assert.Equal(["late", "early", "late"], query.Evaluate(document.RootElement).Select(n => n.Value.GetString()));
        }

        Assert.Equal(["$[1]"], JsonPathQuery.Parse("$[?@.x == 'early']").Evaluate(document.RootElement).Select(n => n.Location.ToString()));
        Assert.True(JsonPathQuery.Parse("$[0].x").TryGetSingle(document.RootElement, out var single));
        Assert.Equal("late", single.GetString());
    }

    [Fact]
    public void Reused_member_names_are_exact_for_escaped_and_non_ascii_names()
    {
        const string json = """{"ab":{"ab":1,"\u0061c":2,"é":3,"a\\b":4,"ca":5},"ba":{"ac":6,"ab":7}}""";
        using var document = JsonDocument.Parse(json);
        string[] expected = ["$['ab']['ab']", "$['ab']['ac']", "$['ab']['é']", "$['ab']['a\\\\b']", "$['ab']['ca']", "$['ba']['ac']", "$['ba']['ab']"];
        Assert.Equal(expected, JsonPathQuery.Parse("$.*.*").Evaluate(document.RootElement).Select(n => n.Location.ToString()));
        Assert.Equal(expected, JsonPathQuery.Parse("$.*[?@ > 0]").Evaluate(document.RootElement).Select(n => n.Location.ToString()));
        Assert.Equal(expected, JsonPathQuery.Parse("$..*").Evaluate(document.RootElement).Skip(2).Select(n => n.Location.ToString()));
        AssertSame("$..*", document.RootElement);
        AssertSame("$.*[*]", document.RootElement);
    }

    [Fact]
    public void Large_arrays_of_mixed_elements_select_the_same_nodes_with_prefetching()
    {
        // 200 elements (past the prefetcher's 64-element threshold): scalars, small objects, arrays and objects over
        // 1 KB, so every prefetch branch runs while results are checked exactly.
        var elements = Enumerable.Range(0, 200).Select(i => (i % 5) switch
        {
            0 => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => $"{{\"id\":{i},\"flag\":true}}",
            2 => $"[{i},{{\"id\":{i}}}]",
            3 => $"{{\"pad\":\"{new string('x', 1500)}\",\"id\":{i},\"flag\":{(i % 2 == 0 ? "true" : "false")}}}",
            _ => "null",
        });
        using var document = JsonDocument.Parse("{\"items\":[" + string.Join(",", elements) + "]}");
        var root = document.RootElement;

        var flagged = JsonPathQuery.Parse("$.items[?@.flag == true].id").Evaluate(root);
        var expected = Enumerable.Range(0, 200).Where(i => i % 5 == 1 || (i % 5 == 3 && i % 2 == 0)).ToArray();
        Assert.Equal(expected, flagged.Select(n => n.Value.GetInt32()));
        Assert.Equal(expected.Select(i => $"$['items'][{i}]['id']"), flagged.Select(n => n.Location.ToString()));
        Assert.Equal(80, JsonPathQuery.Parse("$.items[*].id").Evaluate(root).Count);
        Assert.Equal(40, JsonPathQuery.Parse("$.items[*][1].id").Evaluate(root).Count);
        AssertSame("$.items[?@.flag == true].id", root);
        AssertSame("$.items[?@.id > 100]", root);
        AssertSame("$.items[*].id", root);
        AssertSame("$.items[*][?@.id]", root);
    }

    private static void AssertSame(string query, JsonElement root)
    {
        var fast = JsonPathQuery.Parse(query).Evaluate(root);
        var general = JsonPathQuery.ParseGeneral(query).EvaluateSegments(root);
        Assert.Equal(general.Select(n => n.Location.ToString()), fast.Select(n => n.Location.ToString()));
        for (var i = 0; i < general.Count; i++)
        {
            Assert.True(JsonElement.DeepEquals(general[i].Value, fast[i].Value), $"{query}: node {i} differs");
            Assert.Equal(general[i].Location, fast[i].Location);
        }
    }
}
