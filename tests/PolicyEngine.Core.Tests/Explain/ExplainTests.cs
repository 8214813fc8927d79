using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Explain;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Explain;

/// <summary>The explanation of one rule: exact text, subject filters, caps, and errors with did-you-mean.</summary>
public class ExplainTests
{
    private static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json"));

    private static (string Text, string[] Diagnostics) Explain(string body, string ruleId = "SRA-TEST-01", string? subject = null, ExplainLimits? limits = null)
    {
        using var snapshot = Snapshot(Json);
        var diagnostics = new List<Diagnostic>();
        var explanation = RuleExplainer.Explain(RuleSet(Rule(body)), snapshot, ruleId, subject, null, diagnostics);
        using var text = new StringWriter();
        if (explanation is not null)
        {
            ExplainWriter.Write(explanation, text, limits);
        }

        return (text.ToString(), diagnostics.Select(d => d.ToString()).ToArray());
    }

    private const string TrailRule = """
        target: account-region
        scope:
          roles: [management]
        inputs:
          trails: cloudtrail:DescribeTrails
        forEach:
          input: trails
          path: $.trailList[*]
          id: $.TrailARN
        where:
          any:
            - path: $.IsOrganizationTrail
              equals: true
            - not:
                path: $.Name
                equals: local
        assert:
          path: $.S3BucketName
          in: [logs-333, other]
        """;

    [Fact]
    public void Explains_inputs_forEach_items_conditions_with_nodes_and_outcomes()
    {
        var (text, diagnostics) = Explain(TrailRule, subject: "111111111111/us-east-1");
        Assert.Empty(diagnostics);
        Assert.Equal("""
            rule SRA-TEST-01: Test rule
              defined at r0.yaml:1:5; target account-region
              snapshot snap.json; subjects matching 111111111111/us-east-1

            subject 111111111111/us-east-1/111111111111/us-east-1 (Management)
              input trails: cloudtrail:DescribeTrails @ 111111111111/us-east-1: ok
              forEach $.trailList[*] in trails: 2 items
                $['evidence'][8]['response']['trailList'][0]
                $['evidence'][8]['response']['trailList'][1]
              item arn:trail/org
                where 16:3: any of 2 conditions: true
                  where 17:7: $.IsOrganizationTrail in subject should equal true: true
                    $['evidence'][8]['response']['trailList'][0]['IsOrganizationTrail'] = true
                assert 23:3: $.S3BucketName in subject should be one of ["logs-333", "other"]: true
                  $['evidence'][8]['response']['trailList'][0]['S3BucketName'] = "logs-333"
                => pass: Passed: $.S3BucketName in subject is "logs-333", as expected (be one of ["logs-333", "other"]).
              item arn:trail/local
                where 16:3: any of 2 conditions: false (none of these hold: $.IsOrganizationTrail in subject is false, expected to equal true; expected the opposite of: $.Name in subject should equal "local")
                  where 17:7: $.IsOrganizationTrail in subject should equal true: false ($.IsOrganizationTrail in subject is false, expected to equal true)
                    $['evidence'][8]['response']['trailList'][1]['IsOrganizationTrail'] = false
                  where 19:7: not: false (expected the opposite of: $.Name in subject should equal "local")
                    where 20:9: $.Name in subject should equal "local": true
                      $['evidence'][8]['response']['trailList'][1]['Name'] = "local"
                => notApplicable: Out of scope: none of these hold: $.IsOrganizationTrail in subject is false, expected to equal true; expected the opposite of: $.Name in subject should equal "local".

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void Nodes_and_values_are_capped_and_say_so()
    {
        var (text, _) = Explain("target: organization\nassert:\n  path: $..*\n  exists: true\n", limits: new ExplainLimits { MaxNodes = 2, MaxValueLength = 20 });
        Assert.Equal(
            [
                "  assert 8:3: $..* in subject should exist: true",
                "    $['organization']['organization'] = {\"Id\":\"o-abc\",\"Featu... (cut; 33 characters in all)",
                "    $['organization']['accounts'] = [{\"Id\":\"111111111111... (cut; 310 characters in all)",
                "    ... 22 more not shown (24 nodes in all)",
            ],
            text.Split('\n').Where(l => l.StartsWith("  assert", StringComparison.Ordinal) || l.StartsWith("    ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Input_errors_are_shown_with_their_code_and_the_insufficient_outcome()
    {
        var (text, _) = Explain("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  path: $.SummaryMap.AccountMFAEnabled\n  equals: 1\n", subject: "444444444444");
        Assert.EndsWith("""
            subject 444444444444/global/444444444444 (Workload)
              input summary: iam:GetAccountSummary @ 444444444444/global: error AccessDenied (not authorized)
              => insufficientData: Insufficient data: iam:GetAccountSummary @ 444444444444/global failed with AccessDenied: not authorized.

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Predicate_result_and_logs_are_shown_with_control_characters_escaped()
    {
        var (text, _) = Explain("target: account\npredicate: |\n  ctx.log('name', ctx.subject.Name, '\\u001b[31m');\n  return { pass: false, message: 'no' };\n", subject: "111111111111");
        Assert.EndsWith("""
              predicate returned fail: no
                log: name Management \u001b[31m
              => fail: Check failed for 111111111111 (no).

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text, StringComparison.Ordinal);
    }

    [Fact]
    [Covers(DiagnosticCodes.UnknownExplainRule)]
    public void An_unknown_rule_is_PE3010_with_did_you_mean()
    {
        Assert.Equal(["error PE3010: --explain: the pack has no rule 'SRA-TEST-1'. Did you mean 'SRA-TEST-01'?"],
            Explain("target: organization\nassert: { path: $.a, exists: true }\n", "SRA-TEST-1").Diagnostics);
        Assert.Equal(["error PE3010: --explain: the pack has no rule 'ACME-X-99'. Run 'policy-engine list-rules' to see the rule ids."],
            Explain("target: organization\nassert: { path: $.a, exists: true }\n", "ACME-X-99").Diagnostics);
    }

    [Fact]
    [Covers(DiagnosticCodes.UnknownExplainSubject)]
    public void An_unknown_subject_is_PE3011_with_did_you_mean_at_its_granularity()
    {
        Assert.Equal(
            ["error PE3011: --subject: rule SRA-TEST-01 has no subject '222222222222/us-east-2'. Did you mean '222222222222/us-east-1'? Write ACCOUNT, ACCOUNT/REGION or ACCOUNT/REGION/RESOURCE; its subjects are: 111111111111/us-east-1/111111111111/us-east-1, 111111111111/eu-west-1/111111111111/eu-west-1, 222222222222/us-east-1/222222222222/us-east-1, 222222222222/eu-west-1/222222222222/eu-west-1, 444444444444/us-east-1/444444444444/us-east-1 (and 1 more)."],
            Explain("target: account-region\nassert: { path: $.Id, exists: true }\n", subject: "222222222222/us-east-2").Diagnostics);
    }
}
