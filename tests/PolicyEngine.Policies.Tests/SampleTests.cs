using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// The sample organizations are built from per-service fragments (samples/fragments/ORG/*.json) so that each
/// service's evidence is kept in one place. These tests keep samples/ORG.json current and check that the samples
/// exercise every rule.
/// </summary>
public sealed class SampleTests
{
    private static readonly string[] OrganizationNames = ["sra-aligned", "typical-gaps", "partial-evidence"];

    public static TheoryData<string> Organizations() => new(OrganizationNames);

    [Theory]
    [MemberData(nameof(Organizations))]
    public void Sample_snapshot_is_built_from_its_fragments(string organization) =>
        GeneratedFile.AssertCurrent($"samples/{organization}.json", Build(organization),
            "Rebuild the samples with: UPDATE_DOCS=1 dotnet test tests/PolicyEngine.Policies.Tests");

    [Theory]
    [MemberData(nameof(Organizations))]
    public void Sample_loads_without_diagnostics(string organization)
    {
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(System.Text.Encoding.UTF8.GetBytes(Build(organization)), organization, diagnostics);
        Assert.Empty(diagnostics.Select(d => d.ToString()));
        Assert.NotNull(snapshot);
    }

    [Fact]
    public void Samples_exercise_every_rule()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var decided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var organization in OrganizationNames)
        {
            var diagnostics = new List<Diagnostic>();
            using var snapshot = SnapshotLoader.Load(System.Text.Encoding.UTF8.GetBytes(Build(organization)), organization, diagnostics)!;
            var result = Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot);
            decided.UnionWith(result.Findings.Where(f => f.Outcome is Outcome.Pass or Outcome.Fail).Select(f => f.Rule.Id));
        }

        var untouched = SraPack.Compilation.RuleSet!.Rules.Select(r => r.Descriptor.Id).Where(id => !decided.Contains(id)).ToList();
        Assert.True(untouched.Count == 0, "No sample gives these rules a pass or fail (add evidence to samples/fragments): " + string.Join(", ", untouched));
    }

    /// <summary>Merges base.json with every service fragment, evidence sorted by key, in a stable layout.</summary>
    internal static string Build(string organization)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "samples", "fragments", organization);
        var snapshot = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "base.json")))!.AsObject();
        var evidence = new List<JsonNode>();
        var resources = new List<JsonNode>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name == "base.json")
            {
                continue;
            }

            var items = JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(n => n!.DeepClone());
            (name.EndsWith(".resources.json", StringComparison.Ordinal) ? resources : evidence).AddRange(items);
        }

        static string Key(JsonNode n) => string.Join("|",
            n["service"]?.GetValue<string>(), n["operation"]?.GetValue<string>(), n["account"]?.GetValue<string>(),
            n["region"]?.GetValue<string>(), n["parameters"]?.ToJsonString());
        snapshot["evidence"] = new JsonArray([.. evidence.OrderBy(Key, StringComparer.Ordinal)]);
        snapshot["resources"] = new JsonArray([.. resources]);
        return snapshot.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
