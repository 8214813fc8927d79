using System.Globalization;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Evaluation;

/// <summary>The evaluation trace: exact event sequences for declarative and scripted rules.</summary>
public class TracingTests
{
    private static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json"));

    /// <summary>Evaluates one rule (file r0.yaml, body from line 6) with a recorder and renders each event on one line.</summary>
    private static string[] Trace(string body, out string[] findings)
    {
        using var snapshot = Snapshot(Json);
        var recorder = new TraceRecorder();
        var result = Evaluator.Evaluate(RuleSet(Rule(body)), snapshot, new EvaluationOptions { Tracer = recorder, MaxParallelism = 4 });
        findings = result.Findings.Select(Show).ToArray();
        return recorder.Events.Select(Render).ToArray();
    }

    private static string Render(TraceEvent e)
    {
        var subject = $"{e.Subject.Account ?? "-"}/{e.Subject.Region ?? "-"}/{e.Subject.Resource ?? "-"}";
        return e switch
        {
            SubjectTrace s => $"subject {subject} {s.Path?.ToString() ?? "-"}",
            InputTrace i => $"  input {i.Name} {(i.Key?.ToString() ?? "-")} {i.Status}{(i.ErrorCode is null ? string.Empty : " " + i.ErrorCode)}"
                            + $"{(i.Detail is null ? string.Empty : " (" + i.Detail + ")")}{(i.ReadByPredicate ? " by predicate" : string.Empty)}",
            ForEachTrace f => $"  forEach {f.ForEach.Path.Text} [{string.Join(", ", f.Items.Select(n => n.Path.ToString()))}]",
            ConditionTrace c => string.Create(CultureInfo.InvariantCulture,
                $"  {c.Clause} {c.Location.File}:{c.Location.Line}:{c.Location.Column} {c.Condition.GetType().Name} {c.Verdict} [{string.Join(", ", c.Nodes.Select(n => $"{n.Path}={n.Value.GetRawText()}"))}] {c.Detail}").TrimEnd(),
            PredicateTrace p => $"  predicate {p.Result.Outcome} {p.Result.Message ?? "-"}",
            OutcomeTrace o => $"  => {o.Outcome.ToName()} {subject} {o.Message}",
            _ => throw new InvalidOperationException(e.GetType().Name),
        };
    }

    [Fact]
    public void A_tracer_sees_every_finding_even_when_passing_ones_are_only_counted()
    {
        // Out-of-scope accounts (NotApplicable, decided at dispatch) and passing subjects are traced, then counted.
        var rules = RuleSet(Rule("target: account\nscope:\n  roles: [securityTooling]\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n"));
        using var snapshot = Snapshot(Json);
        var held = new TraceRecorder();
        var counted = new TraceRecorder();
        var all = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Tracer = held });
        var some = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { Tracer = counted, CountPassing = true });
        Assert.Equal(held.Events.Select(Render), counted.Events.Select(Render));
        Assert.Contains(held.Events, e => e is OutcomeTrace { Outcome: Outcome.NotApplicable });
        Assert.Equal(all.Findings.Count(f => f.Outcome is not (Outcome.Pass or Outcome.NotApplicable)), some.Findings.Count);
        Assert.Equal(all.Findings.Count - some.Findings.Count, some.Counted.Sum(c => c.Count));
    }

    [Fact]
    public void Declarative_rule_reports_inputs_conditions_with_their_nodes_and_outcomes()
    {
        var events = Trace("""
            target: account
            inputs:
              summary: iam:GetAccountSummary
            where:
              - input: account
                path: $.OuPath
                matches: "Root.*"
            assert:
              all:
                - input: summary
                  path: $.SummaryMap.AccountMFAEnabled
                  equals: 1
                - input: summary
                  path: $.SummaryMap.Users
                  lessThan: 10
            """, out var findings);
        Assert.Equal(
            [
                "subject 111111111111/global/111111111111 $['organization']['accounts'][0]",
                "  Where r0.yaml:10:5 PathCondition Holds [$['organization']['accounts'][0]['OuPath']=\"Root\"] $.OuPath in account is \"Root\", as expected (match /Root.*/)",
                "  Where r0.yaml:10:3 AllCondition Holds [] $.OuPath in account is \"Root\", as expected (match /Root.*/)",
                "  input summary iam:GetAccountSummary @ 111111111111/global Ok",
                "  Assert r0.yaml:15:7 PathCondition Holds [$['evidence'][0]['response']['SummaryMap']['AccountMFAEnabled']=1] $.SummaryMap.AccountMFAEnabled in summary is 1, as expected (equal 1)",
                "  Assert r0.yaml:18:7 PathCondition Holds [$['evidence'][0]['response']['SummaryMap']['Users']=3] $.SummaryMap.Users in summary is 3, as expected (be < 10)",
                "  Assert r0.yaml:14:3 AllCondition Holds [] $.SummaryMap.AccountMFAEnabled in summary is 1, as expected (equal 1); $.SummaryMap.Users in summary is 3, as expected (be < 10)",
                "  => pass 111111111111/global/111111111111 Passed: $.SummaryMap.AccountMFAEnabled in summary is 1, as expected (equal 1); $.SummaryMap.Users in summary is 3, as expected (be < 10).",
                "subject 222222222222/global/222222222222 $['organization']['accounts'][1]",
                "  Where r0.yaml:10:5 PathCondition Holds [$['organization']['accounts'][1]['OuPath']=\"Root/Security\"] $.OuPath in account is \"Root/Security\", as expected (match /Root.*/)",
                "  Where r0.yaml:10:3 AllCondition Holds [] $.OuPath in account is \"Root/Security\", as expected (match /Root.*/)",
                "  input summary iam:GetAccountSummary @ 222222222222/global Ok",
                "  Assert r0.yaml:15:7 PathCondition Fails [$['evidence'][1]['response']['SummaryMap']['AccountMFAEnabled']=0] $.SummaryMap.AccountMFAEnabled in summary is 0, expected to equal 1",
                "  Assert r0.yaml:14:3 AllCondition Fails [] $.SummaryMap.AccountMFAEnabled in summary is 0, expected to equal 1",
                "  => fail 222222222222/global/222222222222 Check failed for 222222222222 ($.SummaryMap.AccountMFAEnabled in summary is 0, expected to equal 1).",
                "subject 444444444444/global/444444444444 $['organization']['accounts'][2]",
                "  Where r0.yaml:10:5 PathCondition Holds [$['organization']['accounts'][2]['OuPath']=\"Root/Workloads\"] $.OuPath in account is \"Root/Workloads\", as expected (match /Root.*/)",
                "  Where r0.yaml:10:3 AllCondition Holds [] $.OuPath in account is \"Root/Workloads\", as expected (match /Root.*/)",
                "  input summary iam:GetAccountSummary @ 444444444444/global Error AccessDenied (not authorized)",
                "  => insufficientData 444444444444/global/444444444444 Insufficient data: iam:GetAccountSummary @ 444444444444/global failed with AccessDenied: not authorized.",
            ],
            events);
        Assert.Equal(3, findings.Length);
    }

    [Fact]
    public void ForEach_items_are_reported_and_each_item_traces_under_its_own_subject()
    {
        var events = Trace("""
            target: account-region
            scope:
              roles: [management]
              regions: [us-east-1]
            inputs:
              trails: cloudtrail:DescribeTrails
            forEach:
              input: trails
              path: $.trailList[*]
              id: $.TrailARN
            where:
              path: $.IsOrganizationTrail
              equals: true
            assert:
              path: $.S3BucketName
              in: [logs-333, other]
            """, out _);
        Assert.Equal(
            [
                "subject 111111111111/us-east-1/111111111111/us-east-1 $['organization']['accounts'][0]",
                "  input trails cloudtrail:DescribeTrails @ 111111111111/us-east-1 Ok",
                "  forEach $.trailList[*] [$['evidence'][8]['response']['trailList'][0], $['evidence'][8]['response']['trailList'][1]]",
                "  Where r0.yaml:17:3 PathCondition Holds [$['evidence'][8]['response']['trailList'][0]['IsOrganizationTrail']=true] $.IsOrganizationTrail in subject is true, as expected (equal true)",
                "  Assert r0.yaml:20:3 PathCondition Holds [$['evidence'][8]['response']['trailList'][0]['S3BucketName']=\"logs-333\"] $.S3BucketName in subject is \"logs-333\", as expected (be one of [\"logs-333\", \"other\"])",
                "  => pass 111111111111/us-east-1/arn:trail/org Passed: $.S3BucketName in subject is \"logs-333\", as expected (be one of [\"logs-333\", \"other\"]).",
                "  Where r0.yaml:17:3 PathCondition Fails [$['evidence'][8]['response']['trailList'][1]['IsOrganizationTrail']=false] $.IsOrganizationTrail in subject is false, expected to equal true",
                "  => notApplicable 111111111111/us-east-1/arn:trail/local Out of scope: $.IsOrganizationTrail in subject is false, expected to equal true.",
                "subject 222222222222/us-east-1/222222222222/us-east-1 $['organization']['accounts'][1]",
                "  => notApplicable 222222222222/us-east-1/222222222222/us-east-1 The account is not a management account.",
                "subject 444444444444/us-east-1/444444444444/us-east-1 $['organization']['accounts'][2]",
                "  => notApplicable 444444444444/us-east-1/444444444444/us-east-1 The account is not a management account.",
            ],
            events);
    }

    [Fact]
    public void Item_events_name_the_item_subject()
    {
        using var snapshot = Snapshot(Json);
        var recorder = new TraceRecorder();
        Evaluator.Evaluate(RuleSet(Rule("target: account\nscope:\n  roles: [management]\nforEach:\n  input: account\n  path: $.Name\nassert:\n  path: $\n  equals: Management\n")),
            snapshot, new EvaluationOptions { Tracer = recorder });
        var condition = Assert.Single(recorder.Events.OfType<ConditionTrace>());
        Assert.Equal("$['organization']['accounts'][0]['Name']", condition.Subject.Resource);
        Assert.Equal(ConditionClause.Assert, condition.Clause);
        Assert.Equal(new PolicyEngine.Core.Diagnostics.SourceLocation("r0.yaml", 13, 3), condition.Location);
    }

    [Fact]
    public void Any_stops_at_the_first_true_operand_and_not_reports_its_operand()
    {
        var events = Trace("""
            target: account
            scope:
              roles: [management]
            assert:
              any:
                - not:
                    path: $.Name
                    equals: Management
                - path: $.State
                  equals: ACTIVE
                - path: $.Id
                  exists: true
            """, out _).Where(e => e.Contains("Assert", StringComparison.Ordinal));
        Assert.Equal(
            [
                "  Assert r0.yaml:12:9 PathCondition Holds [$['organization']['accounts'][0]['Name']=\"Management\"] $.Name in subject is \"Management\", as expected (equal \"Management\")",
                "  Assert r0.yaml:11:7 NotCondition Fails [] expected the opposite of: $.Name in subject should equal \"Management\"",
                "  Assert r0.yaml:14:7 PathCondition Holds [$['organization']['accounts'][0]['State']=\"ACTIVE\"] $.State in subject is \"ACTIVE\", as expected (equal \"ACTIVE\")",
                "  Assert r0.yaml:10:3 AnyCondition Holds [] $.State in subject is \"ACTIVE\", as expected (equal \"ACTIVE\")",
            ],
            events);
    }

    [Fact]
    public void Predicate_reports_what_it_read_and_returned()
    {
        var events = Trace("""
            target: account
            scope:
              roles: [securityTooling]
            inputs:
              summary: iam:GetAccountSummary
              detectors:
                operation: guardduty:ListDetectors
                region: governed
            predicate: |
              const d = ctx.tryEvidence('detectors', { region: 'us-east-1' });
              return { pass: ctx.inputs.summary.SummaryMap.Users < 10, message: d.status };
            """, out _).Where(e => e.Contains("222222222222", StringComparison.Ordinal) || !e.StartsWith("subject", StringComparison.Ordinal));
        Assert.Equal(
            [
                "  => notApplicable 111111111111/global/111111111111 The account is not a securityTooling account.",
                "subject 222222222222/global/222222222222 $['organization']['accounts'][1]",
                "  input summary iam:GetAccountSummary @ 222222222222/global Ok",
                "  input detectors guardduty:ListDetectors @ 222222222222/us-east-1 NotCollected (region disabled) by predicate",
                "  predicate Fail notCollected",
                "  => fail 222222222222/global/222222222222 Check failed for 222222222222 (notCollected).",
                "  => notApplicable 444444444444/global/444444444444 The account is not a securityTooling account.",
            ],
            events);
    }

    [Fact]
    public void Tracing_does_not_change_the_findings()
    {
        const string body = "target: account-region\ninputs:\n  detectors: guardduty:ListDetectors\nassert:\n  - path: $.DetectorIds\n    notEmpty: true\n";
        Trace(body, out var traced);
        Assert.Equal(Evaluate(Rule(body), Json), traced);
    }
}
