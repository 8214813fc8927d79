using System.Text.Json;

namespace PolicyEngine.JsonPath.Tests;

/// <summary>Custom function extensions, isolation between registries, and parse-time checking against a registry.</summary>
public sealed class FunctionRegistryTests
{
    private const string Document = """
        {"resources":[
          {"arn":"arn:aws:s3:::bucket-a","tags":{"env":"prod"}},
          {"arn":"arn:aws:iam::123456789012:role/admin","tags":{}},
          {"arn":"arn:aws:iam::210987654321:role/ops","tags":{"env":"dev"}}
        ]}
        """;

    private static readonly FunctionDefinition ArnAccount = new(
        "arn_account",
        [FunctionType.Value],
        FunctionType.Value,
        static args =>
        {
            if (!args[0].Value.TryGetString(out var arn))
            {
                return FunctionResult.FromValue(PathValue.Nothing);
            }

            var parts = arn.Split(':');
            return FunctionResult.FromValue(parts.Length >= 5 && parts[4].Length > 0 ? PathValue.FromString(parts[4]) : PathValue.Nothing);
        });

    [Fact]
    public void Custom_value_function_is_type_checked_and_evaluated()
    {
        var registry = FunctionRegistry.Default.With(ArnAccount);
        var query = JsonPathQuery.Parse("$.resources[?arn_account(@.arn) == '123456789012'].arn", registry);
        using var document = JsonDocument.Parse(Document);

        var result = query.Evaluate(document.RootElement);

        var node = Assert.Single(result);
        Assert.Equal("arn:aws:iam::123456789012:role/admin", node.Value.GetString());
        Assert.Equal("$['resources'][1]['arn']", node.Location.ToString());
    }

    [Fact]
    public void Custom_logical_and_nodes_functions()
    {
        var registry = FunctionRegistry.Empty
            .Add("is_iam", [FunctionType.Value], FunctionType.Logical, static args =>
                FunctionResult.FromLogical(args[0].Value.TryGetString(out var s) && s.StartsWith("arn:aws:iam:", StringComparison.Ordinal)))
            .Add("first", [FunctionType.Nodes], FunctionType.Nodes, static args =>
                FunctionResult.FromNodes(args[0].Nodes.Take(1).ToArray()))
            .Add("all", [FunctionType.Logical, FunctionType.Logical], FunctionType.Logical, static args =>
                FunctionResult.FromLogical(args[0].Logical && args[1].Logical));
        using var document = JsonDocument.Parse(Document);

        var iam = JsonPathQuery.Parse("$.resources[?is_iam(@.arn)]", registry).Evaluate(document.RootElement);
        Assert.Equal(["$['resources'][1]", "$['resources'][2]"], iam.Select(n => n.Location.ToString()));

        var tagged = JsonPathQuery.Parse("$.resources[?first(@.tags.*)]", registry).Evaluate(document.RootElement);
        Assert.Equal(["$['resources'][0]", "$['resources'][2]"], tagged.Select(n => n.Location.ToString()));

        var both = JsonPathQuery.Parse("$.resources[?all(is_iam(@.arn), @.tags.env == 'dev')]", registry).Evaluate(document.RootElement);
        Assert.Equal(["$['resources'][2]"], both.Select(n => n.Location.ToString()));
    }

    [Fact]
    public void Two_registries_coexist_without_affecting_each_other_or_the_default()
    {
        var withArn = FunctionRegistry.Default.With(ArnAccount);
        var otherArn = FunctionRegistry.Default.Add("arn_account", [FunctionType.Value], FunctionType.Value, static _ =>
            FunctionResult.FromValue(PathValue.FromString("123456789012")));
        using var document = JsonDocument.Parse(Document);
        const string text = "$.resources[?arn_account(@.arn) == '123456789012']";

        Assert.Single(JsonPathQuery.Parse(text, withArn).Evaluate(document.RootElement));
        Assert.Equal(3, JsonPathQuery.Parse(text, otherArn).Evaluate(document.RootElement).Count);
        Assert.False(FunctionRegistry.Default.TryGetFunction("arn_account", out _));
        Assert.False(JsonPathQuery.TryParse(text, out _, out _));
        Assert.Equal(["count", "length", "match", "search", "value"], FunctionRegistry.Default.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Function_unknown_to_the_registry_fails_with_its_offset()
    {
        const string text = "$.resources[?@.tags && arn_account(@.arn) == '1']";
        Assert.False(JsonPathQuery.TryParse(text, out _, out var error, FunctionRegistry.Default));
        Assert.Equal(new JsonPathError(23, "Expected a known function, found unknown function 'arn_account'"), error);

        Assert.False(JsonPathQuery.TryParse("$[?length(@) == 1]", out _, out error, FunctionRegistry.Empty));
        Assert.Equal(new JsonPathError(3, "Expected a known function, found unknown function 'length'"), error);

        var exception = Assert.Throws<JsonPathParseException>(() => JsonPathQuery.Parse("$[?@.a || search(@.b, 'x')]", FunctionRegistry.Default.Without("search")));
        Assert.Equal(10, exception.Position);
    }

    [Fact]
    public void Declared_types_are_checked_at_parse_time()
    {
        var registry = FunctionRegistry.Default.With(ArnAccount);
        Assert.False(JsonPathQuery.TryParse("$[?arn_account(@.*) == 'x']", out _, out var error, registry));
        Assert.Equal(15, error.Position);
        Assert.False(JsonPathQuery.TryParse("$[?arn_account(@.arn)]", out _, out error, registry));
        Assert.Equal(3, error.Position);
        Assert.False(JsonPathQuery.TryParse("$[?arn_account(@.a, @.b) == 'x']", out _, out error, registry));
        Assert.Equal("Expected 1 argument(s) for function 'arn_account', found 2", error.Message);
    }

    [Theory]
    [InlineData("Length")]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("")]
    public void Function_names_must_follow_the_rfc_grammar(string name) =>
        Assert.Throws<ArgumentException>(() => new FunctionDefinition(name, [], FunctionType.Logical, static _ => FunctionResult.FromLogical(true)));

    [Fact]
    public void A_function_returning_the_wrong_type_does_not_make_evaluation_throw()
    {
        var registry = FunctionRegistry.Empty.Add("broken", [], FunctionType.Logical, static _ => FunctionResult.FromValue(PathValue.FromNumber(1L)));
        using var document = JsonDocument.Parse("[1,2]");
        Assert.Empty(JsonPathQuery.Parse("$[?broken()]", registry).Evaluate(document.RootElement));
    }
}
