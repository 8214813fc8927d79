using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Yaml;

namespace PolicyEngine.Core.Tests.Schemas;

/// <summary>
/// schemas/rule-tests.schema.json accepts every shipped rule test file (policies/**/*.tests.yaml), each names it in a
/// modeline, and it rejects the mistakes the test loader rejects (a misspelt key, an unknown outcome).
/// </summary>
public sealed class RuleTestsSchemaTests
{
    private const string SchemaComment = "# yaml-language-server: $schema=../../../schemas/rule-tests.schema.json";
    private static readonly Lazy<Json.Schema.JsonSchema> Schema = new(() => SchemaTestSupport.Load("rule-tests.schema.json"));

    public static TheoryData<string> ShippedTestFiles() =>
        new(Directory.EnumerateFiles(Path.Combine(SchemaTestSupport.RepositoryRoot, "policies"), "*.tests.yaml", SearchOption.AllDirectories)
            .Select(SchemaTestSupport.Relative)
            .Order(StringComparer.Ordinal));

    private static JsonElement ToJson(string yaml, string file)
    {
        var diagnostics = new List<Diagnostic>();
        var root = SafeYamlReader.Read(yaml, file, diagnostics);
        Assert.True(root is not null && diagnostics.Count == 0, $"{file} is not readable YAML: {string.Join("; ", diagnostics)}");
        return YamlValues.ToJson(root!);
    }

    [Fact]
    public void The_schema_has_a_stable_id()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(SchemaTestSupport.RepositoryRoot, "schemas", "rule-tests.schema.json")));
        Assert.Equal("https://policyengine.dev/schemas/rule-tests.schema.json", schema.RootElement.GetProperty("$id").GetString());
        Assert.True(ShippedTestFiles().Count >= 100, "expected the SRA pack's test files under policies/aws-sra");
    }

    [Theory]
    [MemberData(nameof(ShippedTestFiles))]
    public void Shipped_test_file_is_valid_and_names_the_schema(string relativePath)
    {
        var path = Path.Combine(SchemaTestSupport.RepositoryRoot, relativePath);
        var errors = SchemaTestSupport.Errors(Schema.Value, ToJson(File.ReadAllText(path), relativePath));
        Assert.True(errors.Length == 0, $"{relativePath} does not match schemas/rule-tests.schema.json:\n{errors}");
        Assert.Equal(SchemaComment, File.ReadLines(path).First());
    }

    [Theory]
    [InlineData("rule: X-01\ncases:\n  - name: a\n    fixtur: base\n    expect: []\n", "/cases/0/fixtur (")]
    [InlineData("rule: X-01\ncases:\n  - name: a\n    expect:\n      - { outcome: passed }\n", "/cases/0/expect/0/outcome (")]
    [InlineData("rule: X-01\ncases:\n  - name: a\n", "/cases/0 (")]
    public void Mistakes_the_loader_rejects_are_invalid_at_their_location(string yaml, string location)
    {
        var errors = SchemaTestSupport.Errors(Schema.Value, ToJson(yaml, "t.tests.yaml"));
        Assert.Contains("  " + location, errors, StringComparison.Ordinal);
    }
}
