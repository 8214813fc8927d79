using PolicyEngine.Core.Configuration;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

// Not PolicyEngine.Core.Tests.Configuration: that namespace would shadow PolicyEngine.Core.Configuration in other test files.
namespace PolicyEngine.Core.Tests.Config;

public class PolicyConfigTests
{
    private static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json"));

    private static PolicyConfig Parse(string yaml)
    {
        var diagnostics = new List<Diagnostic>();
        var config = PolicyConfig.Parse(yaml, "policy.yaml", diagnostics);
        Assert.Empty(diagnostics);
        return config!;
    }

    private static string[] Errors(string yaml)
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(PolicyConfig.Parse(yaml, "policy.yaml", diagnostics));
        return diagnostics.Select(d => d.ToString()).ToArray();
    }

    private static RuleDescriptor Descriptor(string id, string category, RuleSeverity severity, bool enabled = true) => new()
    {
        Id = id, Title = "t", MessageFormat = "m", Category = category, DefaultSeverity = severity, IsEnabledByDefault = enabled,
    };

    [Fact]
    public void Severity_precedence_is_rule_then_category_then_default()
    {
        var config = Parse("rules:\n  SRA-A-01: { severity: low }\ncategories:\n  GuardDuty: { severity: critical, enabled: false }\n  S3: { enabled: true }\n");
        Assert.Equal(RuleSeverity.Low, config.EffectiveSeverity(Descriptor("SRA-A-01", "GuardDuty", RuleSeverity.High)));
        Assert.Equal(RuleSeverity.Critical, config.EffectiveSeverity(Descriptor("SRA-B-01", "GuardDuty", RuleSeverity.High)));
        Assert.Equal(RuleSeverity.Medium, config.EffectiveSeverity(Descriptor("SRA-C-01", "S3", RuleSeverity.Medium)));
        Assert.Equal(RuleSeverity.Informational, config.EffectiveSeverity(Descriptor("SRA-D-01", "Other", RuleSeverity.Informational)));
        // Enablement follows the same precedence: the rule entry sets no 'enabled', so the category decides.
        Assert.False(config.IsEnabled(Descriptor("SRA-A-01", "GuardDuty", RuleSeverity.High)));
        Assert.True(config.IsEnabled(Descriptor("SRA-C-01", "S3", RuleSeverity.High, enabled: false)));
        Assert.False(config.IsEnabled(Descriptor("SRA-D-01", "Other", RuleSeverity.High, enabled: false)));
        Assert.True(PolicyConfig.Empty.IsEnabled(Descriptor("SRA-D-01", "Other", RuleSeverity.High)));
    }

    [Fact]
    public void Configured_severity_reaches_findings_and_disabled_rules_are_not_evaluated()
    {
        var rules = RuleSet(
            Rule("target: organization\nassert: { path: $.organization.Id, exists: true }\n", id: "SRA-TEST-01"),
            Rule("target: organization\nassert: { path: $.organization.Id, exists: true }\n", id: "SRA-TEST-02"));
        var config = Parse("rules:\n  SRA-TEST-01: { severity: informational }\n  SRA-TEST-02: { enabled: false }\n");
        using var snapshot = Snapshot(Json);
        var result = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Config = config, MaxParallelism = 1 });
        Assert.Equal(["SRA-TEST-01"], result.Rules.Select(r => r.Id));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("SRA-TEST-01", RuleSeverity.Informational, RuleSeverity.High), (finding.Rule.Id, finding.Severity, finding.Rule.DefaultSeverity));
    }

    [Fact]
    public void Suppressions_match_by_rule_account_region_resource_carry_justification_and_expire()
    {
        var rules = RuleSet(Rule("target: account-region\ninputs:\n  detectors: guardduty:ListDetectors\nassert:\n  - path: $.DetectorIds\n    notEmpty: true\n"));
        var config = Parse("""
            suppressions:
              - rule: SRA-TEST-01
                accounts: [111111111111]
                regions: [eu-west-1]
                justification: "  Detector is being moved (TICKET-1).  "
                expires: 2026-12-31
              - rule: SRA-TEST-01
                resources: [222222222222/us-east-1]
                justification: Region disabled on purpose.
              - rule: SRA-TEST-01
                accounts: ["444444444444"]
                justification: Expired yesterday.
                expires: 2026-11-29
              - rule: SRA-OTHER-01
                justification: Other rule.
            """);
        using var snapshot = Snapshot(Json);
        var result = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Config = config, MaxParallelism = 1 });
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1 Detector is being moved (TICKET-1). @ policy.yaml:2:5",
                "pass 111111111111/us-east-1 -",
                "insufficientData 222222222222/eu-west-1 -",
                "insufficientData 222222222222/us-east-1 Region disabled on purpose. @ policy.yaml:7:5",
                "insufficientData 444444444444/eu-west-1 -",
                "insufficientData 444444444444/us-east-1 -",
            ],
            result.Findings.Select(f => $"{f.Outcome.ToName()} {f.Subject.Account}/{f.Subject.Region} " +
                                        (f.Suppression is { } s ? $"{s.Justification} @ {s.Source}" : "-")));
        Assert.Empty(result.FailuresAtOrAbove(RuleSeverity.Informational));

        // After its expiry date the first suppression no longer applies.
        var later = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Config = config, MaxParallelism = 1, Today = new DateOnly(2027, 1, 1) });
        Assert.Null(later.Findings[0].Suppression);
        Assert.Equal(["SRA-TEST-01"], later.FailuresAtOrAbove(RuleSeverity.High).Select(f => f.Rule.Id));
        Assert.Empty(later.FailuresAtOrAbove(RuleSeverity.Critical));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigSuppressionWithoutJustification)]
    public void A_suppression_without_justification_is_refused()
    {
        Assert.Equal(
            [
                "policy.yaml:2:5: error PE5002: A suppression needs a 'justification' saying why the finding is accepted.",
                "policy.yaml:4:5: error PE5002: A suppression needs a 'justification' saying why the finding is accepted.",
            ],
            Errors("suppressions:\n  - rule: SRA-TEST-01\n    accounts: [\"1\"]\n  - rule: SRA-TEST-02\n    justification: \"   \"\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalid)]
    public void Invalid_configuration_values()
    {
        Assert.Equal(
            [
                "policy.yaml:2:28: error PE5001: Severity 'urgent' is not one of informational, low, medium, high, critical.",
                "policy.yaml:3:15: error PE5001: 'suppressions' must be a list.",
            ],
            Errors("rules:\n  SRA-TEST-01: { severity: urgent }\nsuppressions: {}\n"));
        Assert.Equal(
            ["policy.yaml:4:14: error PE5001: 'expires' must be a date like 2027-01-31, not 'soon'."],
            Errors("suppressions:\n  - rule: SRA-TEST-01\n    justification: ok\n    expires: soon\n"));
        Assert.Equal(
            ["policy.yaml:1:1: error PE1001: Unknown key 'rulez' in the policy configuration. Did you mean 'rules'? Allowed keys: categories, rules, sandbox, suppressions."],
            Errors("rulez: {}\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalid)]
    public void An_unreadable_configuration_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "pe-core-tests-no-such-config.yaml");
        var diagnostics = new List<Diagnostic>();
        Assert.Null(PolicyConfig.Load(missing, diagnostics));
        var d = Assert.Single(diagnostics);
        Assert.Equal((DiagnosticCodes.ConfigInvalid, new SourceLocation(missing, 0, 0)), (d.Code, d.Location));
        Assert.StartsWith("Cannot read the configuration: Could not find file", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_configuration_changes_nothing()
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Same(PolicyConfig.Empty, PolicyConfig.Parse("", "policy.yaml", diagnostics));
        Assert.Empty(diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigUnknownRule)]
    public void Rules_the_pack_does_not_have_are_warnings()
    {
        var rules = RuleSet(Rule("target: organization\nassert: { path: $.a, exists: true }\n"));
        var config = Parse("rules:\n  SRA-TEST-01: { severity: low }\n  SRA-GONE-01: { enabled: false }\nsuppressions:\n  - rule: SRA-TEST-02\n    justification: x\n");
        Assert.Equal(
            [
                "policy.yaml:3:3: warning PE5003: Configuration names rule 'SRA-GONE-01', which the rule pack does not have; remove the entry or fix the id.",
                "policy.yaml:5:11: warning PE5003: Configuration names rule 'SRA-TEST-02', which the rule pack does not have; remove the entry or fix the id. Did you mean 'SRA-TEST-01'?",
            ],
            config.CheckAgainst(rules).Select(d => d.ToString()));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigUnknownCategory)]
    public void Categories_no_rule_has_are_warnings_with_the_nearest_category()
    {
        var rules = RuleSet(Rule("target: organization\nassert: { path: $.a, exists: true }\n"));
        var config = Parse("categories:\n  Test: { severity: low }\n  Tset: { enabled: false }\n  Networking: { enabled: false }\n");
        Assert.Equal(
            [
                "policy.yaml:3:3: warning PE5004: Configuration names category 'Tset', which no rule of the pack has; remove the entry or fix the name. Did you mean 'Test'?",
                "policy.yaml:4:3: warning PE5004: Configuration names category 'Networking', which no rule of the pack has; remove the entry or fix the name.",
            ],
            config.CheckAgainst(rules).Select(d => d.ToString()));
    }
}
