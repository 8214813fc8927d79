using System.Text.Json.Nodes;
using PolicyEngine.Core.Configuration;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Config;

/// <summary>
/// Suppressions by OU path, account tag and resource glob, with an owner; expired suppressions; severity scoped to
/// accounts, OUs and regions, and its precedence.
/// </summary>
public class ScopedPolicyConfigTests
{
    /// <summary>
    /// The evaluation snapshot with an OU tree three levels deep and account tags as organizations:ListTagsForResource
    /// returns them: 222 tagged environment=security, 333 environment=production and team=payments, 444 with no tag
    /// (an empty list), 666 whose tags were not collected (no Tags member).
    /// </summary>
    private static readonly string Json = BuildSnapshot();

    private static string BuildSnapshot()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json")))!;
        static JsonArray Tags(params (string Key, string Value)[] tags) =>
            [.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })];
        root["organization"]!["accounts"] = new JsonArray(
            new JsonObject { ["Id"] = "111111111111", ["Name"] = "Management", ["State"] = "ACTIVE", ["OuPath"] = "Root", ["Tags"] = Tags() },
            new JsonObject { ["Id"] = "222222222222", ["Name"] = "Audit", ["State"] = "ACTIVE", ["OuPath"] = "Root/Security", ["Tags"] = Tags(("environment", "security")) },
            new JsonObject { ["Id"] = "333333333333", ["Name"] = "Payments", ["State"] = "ACTIVE", ["OuPath"] = "Root/Workloads/Prod", ["Tags"] = Tags(("environment", "production"), ("team", "payments")) },
            new JsonObject { ["Id"] = "444444444444", ["Name"] = "Workload", ["State"] = "ACTIVE", ["OuPath"] = "Root/Workloads", ["Tags"] = Tags() },
            new JsonObject { ["Id"] = "666666666666", ["Name"] = "Payments EU", ["State"] = "ACTIVE", ["OuPath"] = "Root/Workloads/Prod/EU" },
            new JsonObject { ["Id"] = "777777777777", ["Name"] = "Lookalike", ["State"] = "ACTIVE", ["OuPath"] = "Root/WorkloadsX", ["Tags"] = Tags(("environment", "")) });
        return root.ToJsonString();
    }

    /// <summary>One finding per active account and governed region: a Fail, a Pass, InsufficientData for the rest.</summary>
    private static readonly string RegionalRule = Rule("target: account-region\ninputs:\n  detectors: guardduty:ListDetectors\nassert:\n  - path: $.DetectorIds\n    notEmpty: true\n");

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

    /// <summary>"outcome account/region severity suppression-source (owner)" per finding, in report order.</summary>
    private static string[] Run(string yaml, string? rule = null)
    {
        using var snapshot = Snapshot(Json);
        var result = Evaluator.Evaluate(RuleSet(rule ?? RegionalRule), snapshot, new EvaluationOptions { Config = Parse(yaml), MaxParallelism = 1 });
        return result.Findings.Select(f => $"{f.Outcome.ToName()} {f.Subject.Account}/{f.Subject.Region}{(f.Subject.Kind == TargetKind.Resource ? "/" + f.Subject.Resource : string.Empty)} {f.Severity.ToName()} "
            + (f.Suppression is { } s ? $"{s.Source}{(s.Owner is null ? string.Empty : $" ({s.Owner})")}" : "-")).ToArray();
    }

    [Fact]
    public void Suppressions_match_by_ou_path_prefix_by_whole_segments_in_any_case()
    {
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1 high -",
                "pass 111111111111/us-east-1 high -",
                "insufficientData 222222222222/eu-west-1 high -",
                "insufficientData 222222222222/us-east-1 high -",
                "insufficientData 333333333333/eu-west-1 high policy.yaml:2:5 (team-payments)",
                "insufficientData 333333333333/us-east-1 high policy.yaml:2:5 (team-payments)",
                "insufficientData 444444444444/eu-west-1 high policy.yaml:2:5 (team-payments)",
                "insufficientData 444444444444/us-east-1 high policy.yaml:2:5 (team-payments)",
                "insufficientData 666666666666/eu-west-1 high policy.yaml:2:5 (team-payments)",
                "insufficientData 666666666666/us-east-1 high policy.yaml:2:5 (team-payments)",
                // Root/WorkloadsX is not under Root/Workloads: prefixes compare whole segments.
                "insufficientData 777777777777/eu-west-1 high -",
                "insufficientData 777777777777/us-east-1 high -",
            ],
            Run("""
                suppressions:
                  - rule: SRA-TEST-01
                    ous: root/workloads/
                    owner: team-payments
                    justification: Workloads are onboarded to GuardDuty in Q1.
                """));
    }

    [Fact]
    public void Suppressions_match_by_account_tag_exactly_and_never_on_accounts_whose_tags_were_not_collected()
    {
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1 high -",
                "pass 111111111111/us-east-1 high -",
                "insufficientData 222222222222/eu-west-1 high -",
                "insufficientData 222222222222/us-east-1 high -",
                // environment=production and team=payments: both keys must match.
                "insufficientData 333333333333/eu-west-1 high policy.yaml:2:5",
                "insufficientData 333333333333/us-east-1 high policy.yaml:2:5",
                "insufficientData 444444444444/eu-west-1 high -",
                "insufficientData 444444444444/us-east-1 high -",
                // 666's tags are not in the snapshot: unknown tags match nothing.
                "insufficientData 666666666666/eu-west-1 high -",
                "insufficientData 666666666666/us-east-1 high -",
                // An empty value is a value: environment: "" matches the tag whose value is empty.
                "insufficientData 777777777777/eu-west-1 high policy.yaml:5:5 (secops@example.com)",
                "insufficientData 777777777777/us-east-1 high policy.yaml:5:5 (secops@example.com)",
            ],
            Run("""
                suppressions:
                  - rule: SRA-TEST-01
                    accountTags: { environment: [staging, production], team: payments }
                    justification: Payments runs its own detector.
                  - rule: SRA-TEST-01
                    accountTags: { environment: "" }
                    owner: secops@example.com
                    justification: Untagged lookalike account, closed this month.
                  - rule: SRA-TEST-01
                    accountTags: { Environment: security }
                    justification: Keys are case-sensitive, so this matches nothing.
                """));
    }

    [Fact]
    public void Suppressions_match_resources_by_glob_on_the_arn_or_the_id()
    {
        const string bucketRule = "id: SRA-TEST-01\ntitle: t\nmessage: m\ncategory: Test\nseverity: medium\ntarget: resource\nresourceType: AWS::S3::Bucket\nassert:\n  - path: $.configuration.versioning\n    equals: Nothing\n";
        Assert.Equal(
            [
                "fail 111111111111/us-east-1/arn:aws:s3:::logs-333 medium policy.yaml:2:5",
                "fail 444444444444/eu-west-1/arn:aws:s3:::tmp medium policy.yaml:5:5",
                // A bucket without an ARN is named by its id.
                "fail 555555555555/eu-west-1/old medium -",
            ],
            Run("""
                suppressions:
                  - rule: SRA-TEST-01
                    resources: ["arn:aws:s3:::logs-*", "arn:aws:s3:::LOGS-*"]
                    justification: Log buckets are versioned by the log pipeline.
                  - rule: SRA-TEST-01
                    resources: "arn:aws:s3:::t?p"
                    justification: Scratch bucket.
                  - rule: SRA-TEST-01
                    resources: "ol"
                    justification: A pattern matches the whole resource, not a part of it.
                """, bucketRule));
    }

    [Fact]
    public void Severity_scoped_to_an_ou_applies_to_its_accounts_and_below_and_the_gate_reads_it()
    {
        var yaml = """
            categories:
              Test:
                scopes:
                  - { ous: Root/Workloads/Prod, severity: critical }
            """;
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1 high -",
                "pass 111111111111/us-east-1 high -",
                "insufficientData 222222222222/eu-west-1 high -",
                "insufficientData 222222222222/us-east-1 high -",
                "insufficientData 333333333333/eu-west-1 critical -",
                "insufficientData 333333333333/us-east-1 critical -",
                "insufficientData 444444444444/eu-west-1 high -",
                "insufficientData 444444444444/us-east-1 high -",
                "insufficientData 666666666666/eu-west-1 critical -",
                "insufficientData 666666666666/us-east-1 critical -",
                "insufficientData 777777777777/eu-west-1 high -",
                "insufficientData 777777777777/us-east-1 high -",
            ],
            Run(yaml));

        using var snapshot = Snapshot(Json);
        var result = Evaluator.Evaluate(RuleSet(RegionalRule), snapshot, new EvaluationOptions { Config = Parse(yaml), MaxParallelism = 1 });
        // Missing evidence counts toward the gate (unless allowed); at critical only the production OU's findings reach it.
        Assert.True(FailureGate.Fails(result.Findings, RuleSeverity.Critical, allowInsufficient: false));
        Assert.False(FailureGate.Fails(result.Findings, RuleSeverity.Critical, allowInsufficient: true));
        Assert.Equal(
            ["333333333333", "333333333333", "666666666666", "666666666666"],
            result.Findings.Where(f => new ReportFilter { MinimumSeverity = RuleSeverity.Critical }.Matches(f)).Select(f => f.Subject.Account));
    }

    private static RuleDescriptor Descriptor(string id = "SRA-A-01", string category = "GuardDuty") => new()
    {
        Id = id, Title = "t", MessageFormat = "m", Category = category, DefaultSeverity = RuleSeverity.Medium, IsEnabledByDefault = true,
    };

    private static FindingSubject Subject(string account = "333333333333", string? ouPath = "Root/Workloads/Prod", string region = "eu-west-1") =>
        new() { Kind = TargetKind.AccountRegion, Account = account, OuPath = ouPath, Region = region };

    /// <summary>Each row: a configuration, and the severity SRA-A-01 (category GuardDuty, default medium) gets for account 333 in Root/Workloads/Prod, eu-west-1.</summary>
    public static TheoryData<string, string, RuleSeverity> PrecedenceEdges() => new()
    {
        { "no entry: the default", "", RuleSeverity.Medium },
        { "category over default", "categories:\n  GuardDuty: { severity: low }\n", RuleSeverity.Low },
        { "rule over category", "categories:\n  GuardDuty: { severity: low }\nrules:\n  SRA-A-01: { severity: high }\n", RuleSeverity.High },
        { "region scope over the rule's own severity", "rules:\n  SRA-A-01:\n    severity: high\n    scopes: [{ regions: eu-west-1, severity: informational }]\n", RuleSeverity.Informational },
        { "a region scope that does not match is ignored", "rules:\n  SRA-A-01:\n    severity: high\n    scopes: [{ regions: us-east-1, severity: informational }]\n", RuleSeverity.High },
        { "OU scope over region scope", "rules:\n  SRA-A-01:\n    scopes:\n      - { ous: Root, severity: critical }\n      - { regions: eu-west-1, severity: low }\n", RuleSeverity.Critical },
        { "deeper OU over shallower, whatever the order", "rules:\n  SRA-A-01:\n    scopes:\n      - { ous: Root/Workloads/Prod, severity: critical }\n      - { ous: Root/Workloads, severity: low }\n", RuleSeverity.Critical },
        { "deepest matching prefix of one entry counts", "rules:\n  SRA-A-01:\n    scopes:\n      - { ous: [Root, Root/Workloads/Prod], severity: critical }\n      - { ous: Root/Workloads, severity: low }\n", RuleSeverity.Critical },
        { "OU plus region over the same OU alone", "rules:\n  SRA-A-01:\n    scopes:\n      - { ous: Root/Workloads, regions: eu-west-1, severity: low }\n      - { ous: Root/Workloads, severity: critical }\n", RuleSeverity.Low },
        { "deeper OU over shallower OU plus region", "rules:\n  SRA-A-01:\n    scopes:\n      - { ous: Root/Workloads/Prod, severity: critical }\n      - { ous: Root/Workloads, regions: eu-west-1, severity: low }\n", RuleSeverity.Critical },
        { "account over the deepest OU", "rules:\n  SRA-A-01:\n    scopes:\n      - { accounts: \"333333333333\", severity: low }\n      - { ous: Root/Workloads/Prod, regions: eu-west-1, severity: critical }\n", RuleSeverity.Low },
        { "account plus region over account alone", "rules:\n  SRA-A-01:\n    scopes:\n      - { accounts: \"333333333333\", regions: eu-west-1, severity: informational }\n      - { accounts: \"333333333333\", severity: critical }\n", RuleSeverity.Informational },
        { "a category's OU scope over the rule's unscoped severity", "categories:\n  GuardDuty:\n    scopes: [{ ous: Root/Workloads/Prod, severity: critical }]\nrules:\n  SRA-A-01: { severity: low }\n", RuleSeverity.Critical },
        { "equal scope: the rule's entry over its category's", "categories:\n  GuardDuty:\n    scopes: [{ ous: Root/Workloads, severity: critical }]\nrules:\n  SRA-A-01:\n    scopes: [{ ous: Root/Workloads, severity: low }]\n", RuleSeverity.Low },
        { "equal scope: the rule's entry over its category's, even written first", "rules:\n  SRA-A-01:\n    scopes: [{ ous: Root/Workloads, severity: low }]\ncategories:\n  GuardDuty:\n    scopes: [{ ous: Root/Workloads, severity: critical }]\n", RuleSeverity.Low },
        { "a tie within one list: the later entry", "rules:\n  SRA-A-01:\n    scopes:\n      - { ous: root/workloads, severity: critical }\n      - { ous: Root/Workloads/, severity: informational }\n", RuleSeverity.Informational },
        { "a tie between two lists of accounts: the later entry", "rules:\n  SRA-A-01:\n    scopes:\n      - { accounts: [\"111111111111\", \"333333333333\"], severity: low }\n      - { accounts: \"333333333333\", severity: high }\n", RuleSeverity.High },
        { "an OU prefix compares whole segments", "rules:\n  SRA-A-01:\n    scopes: [{ ous: Root/Work, severity: critical }]\n", RuleSeverity.Medium },
        { "every key of a scope must match", "rules:\n  SRA-A-01:\n    scopes: [{ ous: Root/Workloads, regions: us-east-1, severity: critical }]\n", RuleSeverity.Medium },
    };

    [Theory]
    [MemberData(nameof(PrecedenceEdges))]
    public void Severity_precedence(string edge, string yaml, RuleSeverity expected)
    {
        Assert.True(expected == Parse(yaml).EffectiveSeverity(Descriptor(), Subject()), edge);
    }

    [Fact]
    public void Without_a_subject_or_outside_every_scope_the_unscoped_severity_applies()
    {
        var config = Parse("rules:\n  SRA-A-01:\n    severity: high\n    scopes: [{ ous: Root/Workloads, severity: critical }]\n");
        Assert.Equal(RuleSeverity.High, config.EffectiveSeverity(Descriptor()));
        Assert.Equal(RuleSeverity.High, config.EffectiveSeverity(Descriptor(), Subject(ouPath: "Root/Security")));
        // An organization-level subject of an account the snapshot does not list has no OU path: no OU scope applies.
        Assert.Equal(RuleSeverity.High, config.EffectiveSeverity(Descriptor(), Subject(ouPath: null)));
        Assert.True(config.HasScopedSeverity(Descriptor()));
        Assert.False(config.HasScopedSeverity(Descriptor("SRA-B-01", "S3")));
    }

    [Fact]
    public void The_worked_example_of_rule_format_md_gives_the_severities_it_documents()
    {
        var config = Parse("""
            rules:
              SRA-GUARDDUTY-01:
                severity: high
                scopes:
                  - { regions: ap-south-1, severity: low }
                  - { accounts: ["666666666666"], severity: informational }
            categories:
              GuardDuty:
                scopes:
                  - { ous: Root/Prod, severity: critical }
                  - { ous: Root/Prod, regions: ap-south-1, severity: medium }
            """);
        var rule = Descriptor("SRA-GUARDDUTY-01");
        Assert.Equal(
            [RuleSeverity.Critical, RuleSeverity.Medium, RuleSeverity.Informational, RuleSeverity.Low, RuleSeverity.High],
            [
                config.EffectiveSeverity(rule, Subject("444444444444", "Root/Prod", "eu-west-1")),
                config.EffectiveSeverity(rule, Subject("444444444444", "Root/Prod", "ap-south-1")),
                config.EffectiveSeverity(rule, Subject("666666666666", "Root/Prod", "ap-south-1")),
                config.EffectiveSeverity(rule, Subject("777777777777", "Root", "ap-south-1")),
                config.EffectiveSeverity(rule, Subject("777777777777", "Root", "eu-west-1")),
            ]);
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalidGlob)]
    public void A_bad_resource_pattern_is_refused_where_it_is_written()
    {
        Assert.Equal(
            [
                "policy.yaml:3:17: error PE9040: Resource pattern 'arn:aws:s3:::logs-[0-9]' has '[': only '*' (any text) and '?' (one character) are wildcards here, and character classes or alternatives are not supported. List each resource, or use '*' and '?'.",
                "policy.yaml:3:44: error PE9040: A resource pattern is empty. Write the resource's ARN or id as reports show it, with '*' for any text and '?' for one character (e.g. 'arn:aws:s3:::logs-*'), or leave 'resources' out to cover every resource.",
                "policy.yaml:3:48: error PE9040: Resource pattern 'arn:aws:s3:::{a,b}' has '{': only '*' (any text) and '?' (one character) are wildcards here, and character classes or alternatives are not supported. List each resource, or use '*' and '?'.",
            ],
            Errors("suppressions:\n  - rule: SRA-TEST-01\n    resources: [\"arn:aws:s3:::logs-[0-9]\", \"\", \"arn:aws:s3:::{a,b}\"]\n    justification: x\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalidOuPath)]
    public void A_malformed_ou_path_is_refused_where_it_is_written()
    {
        const string how = "Write the OU names from the root down joined by '/', as reports show them (e.g. 'Root/Workloads/Prod'); a path covers its OU and every OU below it, so no wildcard is needed.";
        Assert.Equal(
            [
                // rules: are read before suppressions:.
                $"policy.yaml:8:17: error PE9041: OU path 'Root/Prod*' has a wildcard. {how}",
                $"policy.yaml:3:11: error PE9041: OU path 'Root/*/Prod' has a wildcard. {how}",
                $"policy.yaml:3:24: error PE9041: OU path '/Root/Prod' starts with '/'. {how}",
                $"policy.yaml:3:36: error PE9041: OU path 'Root//Prod' has an empty segment. {how}",
                $"policy.yaml:3:48: error PE9041: OU path '' is empty. {how}",
            ],
            Errors("suppressions:\n  - rule: SRA-TEST-01\n    ous: [Root/*/Prod, /Root/Prod, Root//Prod, \"\"]\n    justification: x\nrules:\n  SRA-TEST-01:\n    scopes:\n      - { ous: [Root/Prod*], severity: low }\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalidOwner)]
    public void An_owner_that_is_not_text_is_refused()
    {
        const string how = "'owner' must be text naming who answers for the accepted risk, such as a team or an e-mail address ('owner: team-payments'), but it is";
        Assert.Equal(
            [
                $"policy.yaml:3:12: error PE9042: {how} a mapping.",
                $"policy.yaml:6:12: error PE9042: {how} a sequence.",
                $"policy.yaml:9:11: error PE9042: {how} empty.",
                $"policy.yaml:12:12: error PE9042: {how} the number 4711 (quote it if it is a name).",
                $"policy.yaml:15:12: error PE9042: {how} the boolean true (quote it if it is a name).",
            ],
            Errors("suppressions:\n  - rule: SRA-TEST-01\n    owner: { team: payments }\n    justification: x\n  - rule: SRA-TEST-01\n    owner: [alice, bob]\n    justification: x\n  - rule: SRA-TEST-01\n    owner:\n    justification: x\n"
                + "  - rule: SRA-TEST-01\n    owner: 4711\n    justification: x\n  - rule: SRA-TEST-01\n    owner: true\n    justification: x\n  - rule: SRA-TEST-01\n    owner: \"4711\"\n    justification: quoted, so text\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalidAccountTag)]
    public void A_malformed_account_tag_is_refused_where_it_is_written()
    {
        Assert.Equal(
            [
                "policy.yaml:3:18: error PE9043: 'accountTags' must be a mapping of tag key to value, such as 'accountTags: { environment: production }', but it is a sequence.",
                "policy.yaml:7:19: error PE9043: Account tag 'environment' has no value. Write the value to match ('environment: production'), a list of values, or 'environment: \"\"' for a tag whose value is empty.",
                "policy.yaml:8:13: error PE9043: Account tag 'team' must have a value or a non-empty list of values ('team: [production, staging]'), but it is an empty list.",
                "policy.yaml:9:13: error PE9043: Account tag 'cost' must have a value or a non-empty list of values ('cost: [production, staging]'), but it is a mapping.",
            ],
            Errors("suppressions:\n  - rule: SRA-TEST-01\n    accountTags: [environment=production]\n    justification: x\n  - rule: SRA-TEST-01\n    accountTags:\n      environment:\n      team: []\n      cost: { center: 1 }\n    justification: x\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigInvalidSeverityScope)]
    public void A_malformed_severity_scope_is_refused_where_it_is_written()
    {
        Assert.Equal(
            [
                "policy.yaml:3:13: error PE9044: 'scopes' of 'SRA-TEST-01' must be a list of entries such as '- { ous: Root/Workloads/Prod, severity: critical }', but it is a mapping.",
                "policy.yaml:7:9: error PE9044: An entry of 'scopes' of 'GuardDuty' must be a mapping such as '{ ous: Root/Workloads/Prod, severity: critical }', but it is a scalar.",
                "policy.yaml:8:9: error PE9044: This scope of 'GuardDuty' names no 'accounts', 'ous' or 'regions', so it would apply everywhere: add one, or set 'severity' on 'GuardDuty' itself.",
                "policy.yaml:9:9: error PE9044: This scope of 'GuardDuty' has no 'severity': add the severity its findings carry, e.g. 'severity: critical'.",
                "policy.yaml:10:11: error PE1001: Unknown key 'ou' in a severity scope. Did you mean 'ous'? Allowed keys: accounts, ous, regions, severity.",
                "policy.yaml:10:36: error PE5001: Severity 'urgent' is not one of informational, low, medium, high, critical.",
                // 'ou' is not a scope key, so the entry names none.
                "policy.yaml:10:9: error PE9044: This scope of 'GuardDuty' names no 'accounts', 'ous' or 'regions', so it would apply everywhere: add one, or set 'severity' on 'GuardDuty' itself.",
            ],
            Errors("rules:\n  SRA-TEST-01:\n    scopes: { ous: Root/Prod, severity: critical }\ncategories:\n  GuardDuty:\n    scopes:\n      - Root/Prod\n      - { severity: critical }\n      - { ous: Root/Prod }\n      - { ou: Root/Prod, severity: urgent }\n"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigSuppressionExpired)]
    public void Expired_suppressions_are_warnings_at_their_expiry_date()
    {
        var config = Parse("""
            suppressions:
              - rule: SRA-TEST-01
                owner: team-payments
                justification: Moved next quarter.
                expires: 2026-11-29
              - rule: SRA-TEST-01
                justification: Expires on the evaluation day, so it still applies.
                expires: 2026-11-30
              - rule: SRA-TEST-02
                justification: No expiry.
            """);
        Assert.Equal(
            ["policy.yaml:5:14: warning PE9045: The suppression of SRA-TEST-01 (owner team-payments) expired on 2026-11-29, before the evaluation date 2026-11-30: its findings are reported and gate again. Set a later 'expires' if the risk is still accepted, or remove the suppression."],
            config.ExpiredSuppressions(new DateOnly(2026, 11, 30)).Select(d => d.ToString()));
        Assert.Empty(config.ExpiredSuppressions(new DateOnly(2026, 11, 29)));
        using var snapshot = Snapshot(Json);
        // Against a snapshot, the date is its collection date (2026-11-30).
        Assert.Equal(
            ["PE9045 policy.yaml:5:14"],
            config.CheckAgainst(snapshot, Evaluator.EvaluationDate(snapshot)).Select(d => $"{d.Code} {d.Location}"));
    }

    [Fact]
    [Covers(DiagnosticCodes.ConfigAccountTagsNotInSnapshot)]
    [Covers(DiagnosticCodes.ConfigOuPathUnknown)]
    public void Account_tags_a_snapshot_lacks_and_ou_paths_that_cover_no_account_are_warnings()
    {
        var config = Parse("""
            suppressions:
              - rule: SRA-TEST-01
                accountTags: { environment: production }
                ous: [Root/Workloads/prod, Root/Workload]
                justification: x
            rules:
              SRA-TEST-01:
                scopes: [{ ous: Root/Sandbox, severity: low }]
            """);
        using (var tagged = Snapshot(Json))
        {
            Assert.Equal(
                [
                    "policy.yaml:8:21: warning PE9047: OU path 'Root/Sandbox' covers no account of the snapshot, so this entry matches nothing; fix the path (reports and the snapshot's organization.accounts[].OuPath show the accounts' paths).",
                    "policy.yaml:4:32: warning PE9047: OU path 'Root/Workload' covers no account of the snapshot, so this entry matches nothing; fix the path (reports and the snapshot's organization.accounts[].OuPath show the accounts' paths). Did you mean 'Root/Workloads'?",
                ],
                config.CheckAgainst(tagged, new DateOnly(2026, 11, 30)).Select(d => d.ToString()));
        }

        // The snapshot of an older collector: no account has a Tags member.
        using var untagged = Snapshot(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json")));
        Assert.Equal(
            [
                "policy.yaml:2:5: warning PE9046: The suppression of SRA-TEST-01 matches by 'accountTags', but the snapshot holds no account's tags, so it suppresses nothing. Collect the snapshot again with this version (it reads organizations:ListTagsForResource for every account), or match by 'accounts' or 'ous' instead.",
            ],
            config.CheckAgainst(untagged, new DateOnly(2026, 11, 30)).Where(d => d.Code == DiagnosticCodes.ConfigAccountTagsNotInSnapshot).Select(d => d.ToString()));
    }

    [Fact]
    public void Account_tags_are_read_from_the_snapshot_as_organizations_returns_them()
    {
        using var snapshot = Snapshot(Json);
        Assert.Equal([("environment", "production"), ("team", "payments")], snapshot.FindAccount("333333333333")!.Tags!.Select(t => (t.Key, t.Value)).Order());
        Assert.Empty(snapshot.FindAccount("444444444444")!.Tags!);
        Assert.Null(snapshot.FindAccount("666666666666")!.Tags);
        var broken = Json.Replace("\"Tags\":[{\"Key\":\"environment\",\"Value\":\"security\"}]", "\"Tags\":[{\"Key\":\"environment\"}]", StringComparison.Ordinal)
            .Replace("\"Tags\":[{\"Key\":\"environment\",\"Value\":\"\"}]", "\"Tags\":{\"environment\":\"\"}", StringComparison.Ordinal);
        Assert.Equal(
            [
                "snap.json:1:322: error PE4003: An account tag is an object with \"Key\" and \"Value\" strings. (at $['organization']['accounts'][1]['Tags'][0])",
                "snap.json:1:798: error PE4003: An account's \"Tags\" is an array of {\"Key\", \"Value\"} objects, as organizations:ListTagsForResource returns them, but this is an object. (at $['organization']['accounts'][5]['Tags'])",
            ],
            LoadErrors(broken));
    }
}
