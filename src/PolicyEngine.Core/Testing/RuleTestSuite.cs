using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Yaml;

namespace PolicyEngine.Core.Testing;

/// <summary>One expected finding of a rule test case.</summary>
public sealed record ExpectedFinding(Outcome Outcome, string? Account, string? Region, string? Resource, string? Path, string? MessageContains);

/// <summary>
/// A rule test case: a fixture snapshot, changed by the case (evidence added or replaced, records removed,
/// sections replaced), and the exact findings the rule must produce on it.
/// </summary>
public sealed record RuleTestCase
{
    /// <summary>The rule under test.</summary>
    public required string RuleId { get; init; }

    /// <summary>The case name, unique within its file.</summary>
    public required string Name { get; init; }

    /// <summary>The test file.</summary>
    public required string File { get; init; }

    /// <summary>Where the test file names its rule.</summary>
    public SourceLocation? RuleLocation { get; init; }

    /// <summary>Where the case is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>
    /// The fixture: a name looked up in the fixture directories (NAME.json), or a path relative to the test file
    /// (it contains '/' or ends in .json).
    /// </summary>
    public string Fixture { get; init; } = "base";

    /// <summary>Where the fixture is named (the case itself when it uses the default).</summary>
    public SourceLocation? FixtureLocation { get; init; }

    /// <summary>"RULE :: case name", unique within a pack.</summary>
    public string FullName => $"{RuleId} :: {Name}";

    /// <summary>Evidence records to add, replacing records with the same key.</summary>
    public IReadOnlyList<JsonObject> Evidence { get; init; } = [];

    /// <summary>Evidence keys to remove.</summary>
    public IReadOnlyList<JsonObject> Remove { get; init; } = [];

    /// <summary>Top-level sections to replace (organization, roles, regions, metadata, resources).</summary>
    public JsonObject? Patch { get; init; }

    /// <summary>Whether NotApplicable findings are part of the expectation.</summary>
    public bool IncludeNotApplicable { get; init; }

    /// <summary>The findings expected, in report order.</summary>
    public required IReadOnlyList<ExpectedFinding> Expect { get; init; }
}

/// <summary>Loads rule test files (<c>*.tests.yaml</c>) and runs their cases.</summary>
public static class RuleTestSuite
{
    private static readonly string[] CaseKeys = ["name", "fixture", "evidence", "remove", "patch", "includeNotApplicable", "expect"];
    private static readonly string[] ExpectKeys = ["outcome", "account", "region", "resource", "path", "message"];
    private static readonly string[] OutcomeNames = ["pass", "fail", "error", "notApplicable", "insufficientData"];

    /// <summary>
    /// Reads a test file. Problems are diagnostics (PE1017 for the test format, PE1001 for unknown keys, PE0xxx for
    /// YAML); a case with a problem is left out.
    /// </summary>
    public static IReadOnlyList<RuleTestCase> Load(string file, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var root = SafeYamlReader.Read(System.IO.File.ReadAllText(file), file, diagnostics);
        var values = new YamlValues(diagnostics);
        if (values.Mapping(root, "test file") is not { } mapping)
        {
            return [];
        }

        values.CheckKeys(mapping, "a rule test file", ["rule", "cases"]);
        var ruleId = values.String(mapping["rule"], "rule", true, mapping.Start);
        if (ruleId is null || mapping["cases"] is not YamlSequence cases)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidTestCase, mapping.Start, "A test file needs 'rule: <id>' and a list of 'cases'."));
            return [];
        }

        var result = new List<RuleTestCase>();
        foreach (var item in cases.Items)
        {
            if (values.Mapping(item, "case") is not { } testCase)
            {
                continue;
            }

            var errorsBefore = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            values.CheckKeys(testCase, "a test case", CaseKeys);
            var name = values.String(testCase["name"], "name", true, testCase.Start);
            var expected = new List<ExpectedFinding>();
            if (testCase["expect"] is YamlSequence expectations)
            {
                foreach (var expectation in expectations.Items)
                {
                    if (values.Mapping(expectation, "expect") is not { } e)
                    {
                        continue;
                    }

                    values.CheckKeys(e, "an expected finding", ExpectKeys);
                    var outcomeText = values.String(e["outcome"], "outcome", true, e.Start);
                    if (outcomeText is null)
                    {
                        continue;
                    }

                    if (!ModelNames.TryParseOutcome(outcomeText, out var outcome))
                    {
                        var suggestion = YamlValues.Closest(outcomeText, OutcomeNames);
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidTestCase, e["outcome"]!.Start,
                            $"Unknown outcome '{outcomeText}'." + (suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?") +
                            " 'outcome' must be pass, fail, error, notApplicable or insufficientData."));
                        continue;
                    }

                    expected.Add(new ExpectedFinding(outcome,
                        values.String(e["account"], "account", false, e.Start),
                        values.String(e["region"], "region", false, e.Start),
                        values.String(e["resource"], "resource", false, e.Start),
                        values.String(e["path"], "path", false, e.Start),
                        values.String(e["message"], "message", false, e.Start)));
                }
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidTestCase, testCase.Start, "A test case needs an 'expect' list (it may be empty: [])."));
            }

            if (name is null)
            {
                continue;
            }

            var fixture = values.String(testCase["fixture"], "fixture", false, testCase.Start) ?? "base";
            var evidence = Objects(testCase["evidence"], "evidence", diagnostics);
            var remove = Objects(testCase["remove"], "remove", diagnostics);
            var includeNotApplicable = values.Bool(testCase["includeNotApplicable"], "includeNotApplicable") ?? false;
            if (testCase["patch"] is { } patchNode and not YamlMapping)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidTestCase, patchNode.Start,
                    "'patch' must be a mapping of top-level snapshot sections (organization, roles, regions, metadata, resources) to their new values."));
            }

            // A case with a mistake in it is not run: half of its expectation would give a misleading failure.
            if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore)
            {
                continue;
            }

            result.Add(new RuleTestCase
            {
                RuleId = ruleId,
                RuleLocation = mapping["rule"]?.Start,
                Name = name,
                File = file,
                Location = testCase.Start,
                Fixture = fixture,
                FixtureLocation = testCase["fixture"]?.Start ?? testCase.Start,
                Evidence = evidence,
                Remove = remove,
                Patch = testCase["patch"] is { } patch ? YamlValues.ToJson(patch).Deserialize(JsonNodeContext.Default.JsonObject) : null,
                IncludeNotApplicable = includeNotApplicable,
                Expect = expected,
            });
        }

        return result;
    }

    private static List<JsonObject> Objects(YamlNode? node, string key, ICollection<Diagnostic> diagnostics)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequence sequence)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidTestCase, node.Start, $"'{key}' must be a list of evidence records."));
            return [];
        }

        return sequence.Items.Select(i => YamlValues.ToJson(i).Deserialize(JsonNodeContext.Default.JsonObject)!).ToList();
    }

    /// <summary>Builds the case's snapshot from its fixture file (resolved by <see cref="RuleTestFixtures"/>).</summary>
    public static byte[] BuildSnapshot(RuleTestCase testCase, string fixtureFile)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return BuildSnapshot(testCase, JsonNode.Parse(System.IO.File.ReadAllText(fixtureFile))!.AsObject());
    }

    /// <summary>Builds the case's snapshot from a parsed fixture (which is changed: pass a copy).</summary>
    public static byte[] BuildSnapshot(RuleTestCase testCase, JsonObject fixture)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(fixture);
        if (testCase.Patch is { } patch)
        {
            foreach (var (name, value) in patch)
            {
                fixture[name] = value?.DeepClone();
            }
        }

        var evidence = fixture["evidence"] as JsonArray ?? [];
        fixture["evidence"] = evidence;
        foreach (var key in testCase.Remove)
        {
            foreach (var match in evidence.Where(e => SameKey(e!.AsObject(), key)).ToList())
            {
                evidence.Remove(match);
            }
        }

        foreach (var record in testCase.Evidence)
        {
            foreach (var match in evidence.Where(e => SameKey(e!.AsObject(), record)).ToList())
            {
                evidence.Remove(match);
            }

            evidence.Add(record.DeepClone());
        }

        return Encoding.UTF8.GetBytes(fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static bool SameKey(JsonObject a, JsonObject b)
    {
        foreach (var field in new[] { "service", "operation", "account", "region" })
        {
            if (a[field]?.GetValue<string>() != b[field]?.GetValue<string>())
            {
                return false;
            }
        }

        var pa = a["parameters"] as JsonObject ?? [];
        var pb = b["parameters"] as JsonObject ?? [];
        return JsonNode.DeepEquals(pa, pb);
    }
}

/// <summary>Source-generated JsonNode deserialization.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
