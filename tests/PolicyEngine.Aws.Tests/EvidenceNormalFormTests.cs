using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyEngine.Aws.Plan;
using YamlDotNet.RepresentationModel;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// The hand-written evidence of the repository (sample fragments, rule test fixtures, the evidence of rule test cases)
/// is in the normal form the collector writes (docs/snapshot-format.md), checked member by member against the output
/// shapes of the vendored models: so rules are tested on what a live snapshot holds, not on an older or looser form.
/// </summary>
public sealed partial class EvidenceNormalFormTests
{
    [Fact]
    public void Every_ok_record_of_the_samples_fixtures_and_rule_tests_is_in_the_normal_form()
    {
        var root = RepositoryRoot();
        var problems = new List<string>();
        var checkedRecords = Records(root).Count(x => Check(x.Record, Path.GetRelativePath(root, x.File), problems));

        Assert.True(checkedRecords > 1_000, $"only {checkedRecords} records checked");
        Assert.True(problems.Count == 0, string.Join('\n', problems.Distinct().Take(60)));
    }

    private static readonly Lazy<Dictionary<string, JsonElement>> Models =
        new(() => LoadPlan().Services.ToDictionary(s => s.Service, s => Model(s.Model!), StringComparer.Ordinal));

    /// <summary>Checks an <c>ok</c> evidence record of a plan operation against its output shape; false when the record is not one.</summary>
    internal static bool Check(JsonNode? record, string where, List<string> problems)
    {
        if (record is not JsonObject r || r["status"]?.GetValue<string>() != "ok" || r["service"]?.GetValue<string>() is not { } service
            || !Models.Value.TryGetValue(service, out var model) || r["operation"]?.GetValue<string>() is not { } operation
            || !model.GetProperty("operations").TryGetProperty(operation, out var op) || !op.TryGetProperty("output", out var output))
        {
            return false;
        }

        new Checker(model, problems, $"{where}: {service}:{operation}").Check(r["response"], output.GetProperty("shape").GetString()!, "$");
        return true;
    }

    private sealed partial class Checker(JsonElement model, List<string> problems, string where)
    {
        private readonly JsonElement _shapes = model.GetProperty("shapes");

        public void Check(JsonNode? value, string shapeName, string path)
        {
            if (value is null)
            {
                return;
            }

            var shape = _shapes.GetProperty(shapeName);
            var type = shape.GetProperty("type").GetString();
            switch (type)
            {
                case "structure" when shape.TryGetProperty("document", out var d) && d.GetBoolean():
                    return;
                case "structure":
                    if (value is not JsonObject o)
                    {
                        Problem(path, "an object");
                        return;
                    }

                    var members = shape.TryGetProperty("members", out var m) ? m : default;
                    foreach (var (key, child) in o)
                    {
                        if (members.ValueKind == JsonValueKind.Object && members.TryGetProperty(key, out var member))
                        {
                            Check(child, member.GetProperty("shape").GetString()!, path + "." + key);
                        }
                        else
                        {
                            problems.Add($"{where}: {path}.{key} is not a member of {shapeName} (members: {string.Join(", ", members.ValueKind == JsonValueKind.Object ? members.EnumerateObject().Select(p => p.Name) : [])})");
                        }
                    }

                    return;
                case "list":
                    if (value is not JsonArray a)
                    {
                        Problem(path, "an array");
                        return;
                    }

                    for (var i = 0; i < a.Count; i++)
                    {
                        Check(a[i], shape.GetProperty("member").GetProperty("shape").GetString()!, $"{path}[{i}]");
                    }

                    return;
                case "map":
                    if (value is not JsonObject map)
                    {
                        Problem(path, "an object");
                        return;
                    }

                    foreach (var (key, child) in map)
                    {
                        Check(child, shape.GetProperty("value").GetProperty("shape").GetString()!, $"{path}['{key}']");
                    }

                    return;
                case "integer" or "long" or "double" or "float":
                    Kind(value, path, JsonValueKind.Number, "a number");
                    return;
                case "boolean":
                    if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        Problem(path, "true or false");
                    }

                    return;
                case "timestamp":
                    if (value.GetValueKind() != JsonValueKind.String || !Timestamp().IsMatch(value.GetValue<string>()))
                    {
                        Problem(path, "a timestamp like 2024-01-02T03:04:05Z");
                    }

                    return;
                default:
                    Kind(value, path, JsonValueKind.String, "a string");
                    return;
            }
        }

        private void Kind(JsonNode value, string path, JsonValueKind kind, string expected)
        {
            if (value.GetValueKind() != kind)
            {
                Problem(path, expected);
            }
        }

        private void Problem(string path, string expected) => problems.Add($"{where}: {path} must be {expected}");

        [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,6}[1-9])?Z$")]
        private static partial Regex Timestamp();
    }

    private static IEnumerable<(string File, JsonNode? Record)> Records(string root)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "samples", "fragments"), "*.json", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "policies", "fixtures"), "*.json")).Order(StringComparer.Ordinal))
        {
            var node = JsonNode.Parse(File.ReadAllText(file));
            var evidence = node as JsonArray ?? node?["evidence"] as JsonArray ?? [];
            foreach (var record in evidence)
            {
                yield return (file, record);
            }
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "policies"), "*.tests.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(file)));
            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode doc
                || !doc.Children.TryGetValue(new YamlScalarNode("cases"), out var cases) || cases is not YamlSequenceNode list)
            {
                continue;
            }

            foreach (var c in list.Children.OfType<YamlMappingNode>())
            {
                if (c.Children.TryGetValue(new YamlScalarNode("evidence"), out var ev) && ev is YamlSequenceNode records)
                {
                    foreach (var record in records.Children)
                    {
                        yield return (file, Json(record));
                    }
                }
            }
        }
    }

    /// <summary>YAML as the engine reads it: plain true/false/null and numbers typed, quoted scalars strings.</summary>
    private static JsonNode? Json(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Json(p.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Json)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is "null" or "~" => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when double.TryParse(s.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) => JsonNode.Parse(s.Value!),
        YamlScalarNode s => JsonValue.Create(s.Value ?? string.Empty),
        _ => null,
    };

    private static JsonElement Model(string name)
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream("ServiceModels/" + name + "/service-2.json")!;
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
