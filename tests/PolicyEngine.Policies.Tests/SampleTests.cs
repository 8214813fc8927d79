using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Tests.Shared;

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

    /// <summary>The SRA-aligned organization is what it claims: the whole pack finds nothing wrong and nothing unknown.</summary>
    [Fact]
    public void Sra_aligned_sample_has_no_fail_no_insufficient_data_and_no_error()
    {
        var problems = Evaluate("sra-aligned").Findings
            .Where(f => f.Outcome is Outcome.Fail or Outcome.InsufficientData or Outcome.Error)
            .Select(f => $"{f.Rule.Id} {f.Outcome} {f.Subject.Account}/{f.Subject.Region}/{f.Subject.Resource}: {f.Message}")
            .ToList();
        Assert.True(problems.Count == 0, "The sra-aligned sample must be clean (fix its evidence in samples/fragments/sra-aligned, never the rule):\n" +
            string.Join("\n", problems));
    }

    /// <summary>
    /// The only rules the typical-gaps organization cannot fail, each with the reason: their failure rules out the
    /// evidence on which other rules show their gaps in the same organization. Every other rule fails there at least once.
    /// </summary>
    private static readonly Dictionary<string, string> CannotFailInTypicalGaps = new(StringComparer.Ordinal)
    {
        ["SRA-ORGANIZATIONS-01"] = "fails only when AWS Organizations is not in use; typical-gaps is an organization, and without one no role, OU, delegated administrator or SCP rule has a subject",
        ["SRA-ORGANIZATIONS-05"] = "fails only in an organization with consolidated billing features alone, which has no delegated administrators, SCPs or RCPs, the evidence of most typical-gaps failures",
        ["SRA-SECURITYINCIDENTRESPONSE-02"] = "fails only without an Active membership, while SRA-SECURITYINCIDENTRESPONSE-03 (Triage off) and -04 (an account not associated) fail only on an Active one",
    };

    [Fact]
    public void Rules_listed_as_unable_to_fail_in_typical_gaps_really_do_not_fail_there()
    {
        var failed = Evaluate("typical-gaps").Findings.Where(f => f.Outcome == Outcome.Fail).Select(f => f.Rule.Id).ToHashSet(StringComparer.Ordinal);
        var nowFailing = CannotFailInTypicalGaps.Keys.Where(failed.Contains).Order(StringComparer.Ordinal).ToList();
        Assert.True(nowFailing.Count == 0, "These rules now fail on typical-gaps; remove them from CannotFailInTypicalGaps: " + string.Join(", ", nowFailing));
    }

    /// <summary>The typical-gaps organization shows every gap the pack can report: each rule fails at least once.</summary>
    [Fact]
    public void Typical_gaps_sample_fails_every_rule_at_least_once()
    {
        var failed = Evaluate("typical-gaps").Findings.Where(f => f.Outcome == Outcome.Fail).Select(f => f.Rule.Id).ToHashSet(StringComparer.Ordinal);
        var never = SraPack.Compilation.RuleSet!.Rules.Select(r => r.Descriptor.Id).Where(id => !failed.Contains(id) && !CannotFailInTypicalGaps.ContainsKey(id)).ToList();
        Assert.True(never.Count == 0, "No finding of these rules fails on the typical-gaps sample (add a realistic gap to samples/fragments/typical-gaps): " +
            string.Join(", ", never));
    }

    /// <summary>
    /// The partial-evidence organization shows what missing data does: InsufficientData, and never a pass for a subject
    /// whose required evidence (an input with literal parameters) is errored or not collected.
    /// </summary>
    [Fact]
    public void Partial_evidence_sample_is_insufficient_data_and_never_passes_on_missing_evidence()
    {
        var snapshot = JsonNode.Parse(Build("partial-evidence"))!.AsObject();
        var notOk = snapshot["evidence"]!.AsArray()
            .Where(r => r!["status"]!.GetValue<string>() != "ok")
            .Select(r => (Operation: r!["service"]!.GetValue<string>() + ":" + r["operation"]!.GetValue<string>(), Account: r["account"]!.GetValue<string>(),
                Region: r["region"]!.GetValue<string>(), Parameters: r["parameters"] as JsonObject))
            .ToList();
        Assert.NotEmpty(notOk);
        var roles = snapshot["roles"]!.AsObject().ToDictionary(p => p.Key,
            p => p.Value!.AsArray().Select(a => a!["accountId"]!.GetValue<string>()).ToList(), StringComparer.Ordinal);

        var findings = Evaluate("partial-evidence").Findings;
        Assert.Contains(findings, f => f.Outcome == Outcome.InsufficientData);
        var rules = SraPack.Compilation.RuleSet!.Rules.ToDictionary(r => r.Descriptor.Id, StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var finding in findings.Where(f => f.Outcome == Outcome.Pass))
        {
            foreach (var input in rules[finding.Rule.Id].Inputs.Where(i => i.Required && !i.IsPerGovernedRegion && i.Parameters.All(p => p.Literal is not null)))
            {
                IReadOnlyList<string> accounts = input.Account switch
                {
                    "subject" => [finding.Subject.Account ?? string.Empty],
                    var role when roles.TryGetValue(role, out var ids) => ids,
                    var id => [id],
                };
                var region = input.Region == "subject" ? finding.Subject.Region : input.Region;
                var missing = notOk.Where(r => r.Operation == input.Operation.ToString() && accounts.Contains(r.Account) &&
                    (r.Region == region || (r.Region == "global" && input.Region != "subject")) &&
                    input.Parameters.All(p => r.Parameters?[p.Name] is { } v &&
                        (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) == p.Literal) &&
                    (r.Parameters?.Count ?? 0) == input.Parameters.Count).ToList();
                if (missing.Count > 0)
                {
                    violations.Add($"{finding.Rule.Id} passes {finding.Subject.Account}/{finding.Subject.Region}/{finding.Subject.Resource} although {input.Name} ({input.Operation}) is not ok");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private static EvaluationResult Evaluate(string organization)
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(System.Text.Encoding.UTF8.GetBytes(Build(organization)), organization, diagnostics)!;
        return Evaluator.Evaluate(SraPack.Compilation.RuleSet!, snapshot);
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
