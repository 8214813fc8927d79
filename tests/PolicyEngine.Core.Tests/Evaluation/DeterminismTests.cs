using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Evaluation;

public class DeterminismTests
{
    private static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json"));

    private static readonly string[] Rules =
    [
        Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n", id: "SRA-DET-01"),
        Rule("target: account-region\ninputs:\n  detectors: guardduty:ListDetectors\nassert:\n  - path: $.DetectorIds\n    notEmpty: true\n", id: "SRA-DET-02"),
        Rule("target: resource\nresourceType: AWS::S3::Bucket\nassert:\n  - path: $.configuration.versioning\n    equals: Enabled\n", id: "SRA-DET-03"),
        Rule("target: evidence\noperation: guardduty:ListDetectors\npredicate: |\n  return ctx.subject.DetectorIds.length > 0;\n", id: "SRA-DET-04"),
        Rule("target: account\npredicate: |\n  return ctx.roles.length > 0;\n", id: "SRA-DET-00"),
    ];

    [Fact]
    public void Parallelism_one_and_eight_give_identical_findings_in_identical_order()
    {
        var rules = RuleSet(Rules);
        using var snapshot = Snapshot(Json);
        var sequential = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { MaxParallelism = 1 }).Findings.Select(Show).ToArray();
        var parallel = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { MaxParallelism = 8 }).Findings.Select(Show).ToArray();
        var again = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { MaxParallelism = 8 }).Findings.Select(Show).ToArray();
        Assert.Equal(21, sequential.Length);
        Assert.Equal(sequential, parallel);
        Assert.Equal(sequential, again);
        // Sorted by rule id first, whatever order the rules were written in.
        Assert.Equal(
            ["SRA-DET-00", "SRA-DET-01", "SRA-DET-02", "SRA-DET-03", "SRA-DET-04"],
            Evaluator.Evaluate(rules, snapshot).Findings.Select(f => f.Rule.Id).Distinct());
    }

    [Fact]
    public void Findings_are_ordered_by_rule_account_region_resource_then_path()
    {
        // Accounts are listed 222… before 111…, rules 02 before 01, and items a/b interleaved: the report reorders all
        // of them. Items 10 and 2 share the id "dup", so only their paths order them: ordinal text puts "[10]" first.
        var rules = RuleSet(
            Rule("target: account\ninputs:\n  items: iam:GetAccountSummary\nforEach:\n  path: $.Items[*]\n  id: $.name\nassert:\n  - path: $.ok\n    equals: true\n", id: "SRA-ORD-02"),
            Rule("target: account\ninputs:\n  items: iam:GetAccountSummary\nassert:\n  - path: $.Items\n    notEmpty: true\n", id: "SRA-ORD-01"));
        var items = string.Join(",", Enumerable.Range(0, 11).Select(i => i switch
        {
            2 or 10 => $$"""{"name":"dup","ok":{{(i == 2 ? "true" : "false")}}}""",
            _ => $$"""{"name":"{{(i % 2 == 0 ? "a" : "b")}}{{i:D2}}","ok":true}""",
        }));
        using var snapshot = Snapshot($$"""
            {
              "formatVersion": "1.0",
              "organization": { "accounts": [ { "Id": "222222222222", "State": "ACTIVE" }, { "Id": "111111111111", "State": "ACTIVE" } ] },
              "evidence": [
                { "service": "iam", "operation": "GetAccountSummary", "account": "222222222222", "region": "global", "status": "ok", "response": { "Items": [{"name":"z","ok":true}] } },
                { "service": "iam", "operation": "GetAccountSummary", "account": "111111111111", "region": "global", "status": "ok", "response": { "Items": [{{items}}] } }
              ]
            }
            """, "order.json");
        foreach (var parallelism in new[] { 1, 8 })
        {
            var shown = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { MaxParallelism = parallelism }).Findings
                .Select(f => $"{f.Rule.Id} {f.Subject.Account} {f.Subject.Resource} {f.Path} {f.Outcome.ToName()}");
            Assert.Equal(
            [
                "SRA-ORD-01 111111111111 111111111111 $['evidence'][1]['response']['Items'] pass",
                "SRA-ORD-01 222222222222 222222222222 $['evidence'][0]['response']['Items'] pass",
                "SRA-ORD-02 111111111111 a00 $['evidence'][1]['response']['Items'][0]['ok'] pass",
                "SRA-ORD-02 111111111111 a04 $['evidence'][1]['response']['Items'][4]['ok'] pass",
                "SRA-ORD-02 111111111111 a06 $['evidence'][1]['response']['Items'][6]['ok'] pass",
                "SRA-ORD-02 111111111111 a08 $['evidence'][1]['response']['Items'][8]['ok'] pass",
                "SRA-ORD-02 111111111111 b01 $['evidence'][1]['response']['Items'][1]['ok'] pass",
                "SRA-ORD-02 111111111111 b03 $['evidence'][1]['response']['Items'][3]['ok'] pass",
                "SRA-ORD-02 111111111111 b05 $['evidence'][1]['response']['Items'][5]['ok'] pass",
                "SRA-ORD-02 111111111111 b07 $['evidence'][1]['response']['Items'][7]['ok'] pass",
                "SRA-ORD-02 111111111111 b09 $['evidence'][1]['response']['Items'][9]['ok'] pass",
                "SRA-ORD-02 111111111111 dup $['evidence'][1]['response']['Items'][10]['ok'] fail",
                "SRA-ORD-02 111111111111 dup $['evidence'][1]['response']['Items'][2]['ok'] pass",
                "SRA-ORD-02 222222222222 z $['evidence'][0]['response']['Items'][0]['ok'] pass",
            ], shown);
        }
    }

    [Fact]
    public void A_compiled_rule_set_is_reused_across_two_snapshots()
    {
        var rules = RuleSet(Rules[0]);
        using var first = Snapshot(Json);
        using var second = Snapshot("""
            {
              "formatVersion": "1.0",
              "organization": { "accounts": [ { "Id": "999999999999", "Name": "Solo", "State": "ACTIVE" } ] },
              "evidence": [
                { "service": "iam", "operation": "GetAccountSummary", "account": "999999999999", "region": "global", "status": "ok",
                  "response": { "SummaryMap": { "AccountMFAEnabled": 0 } } }
              ]
            }
            """, "second.json");
        var a = Evaluator.Evaluate(rules, first, new EvaluationOptions { MaxParallelism = 1 });
        var b = Evaluator.Evaluate(rules, second, new EvaluationOptions { MaxParallelism = 1 });
        var a2 = Evaluator.Evaluate(rules, first, new EvaluationOptions { MaxParallelism = 1 });
        Assert.Equal(["pass", "fail", "insufficientData"], a.Findings.Select(f => f.Outcome.ToName()));
        Assert.Equal(
            ["fail 999999999999/global/999999999999 $['evidence'][0]['response']['SummaryMap']['AccountMFAEnabled'] 6:58 | Check failed for 999999999999 ($.SummaryMap.AccountMFAEnabled in summary is 0, expected to equal 1)."],
            b.Findings.Select(Show));
        Assert.Equal("second.json", b.Snapshot);
        Assert.Equal(a.Findings.Select(Show), a2.Findings.Select(Show));
    }
}
