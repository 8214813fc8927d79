using System.Text.RegularExpressions;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Tests.Diagnostics;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Evaluation;

public class EvaluatorTests
{
    private static readonly string Json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData/snapshots/evaluation.json"));

    private static string[] Run(string body, EvaluationOptions? options = null) => Evaluate(Rule(body), Json, options);

    private const string MinimalSnapshot = """
        {
          "formatVersion": "1.0",
          "organization": { "organization": { "Id": "o-1", "Name": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" } },
          "evidence": []
        }
        """;

    [Fact]
    public void Account_target_pass_fail_and_error_evidence()
    {
        Assert.Equal(
            [
                "pass 111111111111/global/111111111111 $['evidence'][0]['response']['SummaryMap']['AccountMFAEnabled'] 20:58 | Passed: $.SummaryMap.AccountMFAEnabled in summary is 1, as expected (equal 1).",
                "fail 222222222222/global/222222222222 $['evidence'][1]['response']['SummaryMap']['AccountMFAEnabled'] 22:58 | Check failed for 222222222222 ($.SummaryMap.AccountMFAEnabled in summary is 0, expected to equal 1).",
                "insufficientData 444444444444/global/444444444444 $['organization']['accounts'][2] 9:7 | Insufficient data: iam:GetAccountSummary @ 444444444444/global failed with AccessDenied: not authorized.",
            ],
            Run("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n"));
    }

    [Fact]
    public void Account_region_target_with_roles_scope_missing_and_not_collected_evidence()
    {
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1/111111111111/eu-west-1 $['evidence'][4]['response']['DetectorIds'] 28:36 | Check failed for 111111111111 ($.DetectorIds in detectors is [], expected to be non-empty).",
                "pass 111111111111/us-east-1/111111111111/us-east-1 $['evidence'][3]['response']['DetectorIds'] 26:36 | Passed: $.DetectorIds in detectors is [ \"d-use1\" ], as expected (be non-empty).",
                "insufficientData 222222222222/eu-west-1/222222222222/eu-west-1 $['organization']['accounts'][1] 8:7 | Insufficient data: guardduty:ListDetectors @ 222222222222/eu-west-1 is not in the snapshot.",
                "insufficientData 222222222222/us-east-1/222222222222/us-east-1 $['organization']['accounts'][1] 8:7 | Insufficient data: guardduty:ListDetectors @ 222222222222/us-east-1 was not collected (region disabled).",
                "notApplicable 444444444444/eu-west-1/444444444444/eu-west-1 - 0:0 | The account is not a management or securityTooling account.",
                "notApplicable 444444444444/us-east-1/444444444444/us-east-1 - 0:0 | The account is not a management or securityTooling account.",
            ],
            Run("target: account-region\nscope:\n  roles: [management, securityTooling]\ninputs:\n  detectors: guardduty:ListDetectors\nassert:\n  - path: $.DetectorIds\n    notEmpty: true\n"));
    }

    [Fact]
    public void Findings_carry_the_accounts_ou_path_and_the_result_the_snapshots_collection_time()
    {
        using var snapshot = Snapshot(Json);
        var result = Evaluator.Evaluate(RuleSet(Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n")),
            snapshot, new EvaluationOptions { MaxParallelism = 1 });
        Assert.Equal(["111111111111 Root", "222222222222 Root/Security", "444444444444 Root/Workloads"],
            result.Findings.Select(f => $"{f.Subject.Account} {f.Subject.OuPath}"));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), result.CollectedAt);
    }

    [Fact]
    public void An_evaluated_finding_equals_one_built_from_its_values_and_with_overrides_its_made_members()
    {
        using var snapshot = Snapshot(Json);
        var result = Evaluator.Evaluate(RuleSet(Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n")),
            snapshot, new EvaluationOptions { MaxParallelism = 1 });
        var failed = result.Findings[1];
        var built = new Finding
        {
            Rule = failed.Rule,
            Outcome = Outcome.Fail,
            Severity = failed.Severity,
            Subject = new FindingSubject { Kind = TargetKind.Account, Account = "222222222222", AccountName = failed.Subject.AccountName, OuPath = "Root/Security", Region = "global", Resource = "222222222222" },
            Message = "Check failed for 222222222222 ($.SummaryMap.AccountMFAEnabled in summary is 0, expected to equal 1).",
            Path = failed.Path,
            Line = 22,
            Column = 58,
            Fingerprint = failed.Fingerprint,
        };

        Assert.Equal(built, failed);
        Assert.Equal(built.GetHashCode(), failed.GetHashCode());
        Assert.NotEqual(built with { Line = 23 }, failed);
        Assert.NotEqual(built, result.Findings[0]);

        var moved = failed with { Message = "other", Line = 5, Column = 6, Fingerprint = "f" };
        Assert.Equal(("other", 5, 6, "f"), (moved.Message, moved.Line, moved.Column, moved.Fingerprint));
        Assert.Equal((22, 58), (failed.Line, failed.Column));
        var both = failed with { Line = 9, Column = 7 };
        var lineOnly = failed with { Line = 9 };
        Assert.Equal((9, 7), (both.Line, both.Column));
        Assert.Equal((9, 58), (lineOnly.Line, lineOnly.Column));
    }

    [Fact]
    public void Organization_target_maps_an_aws_error_code_to_fail()
    {
        Assert.Equal(
            ["fail 111111111111/global/organization $['evidence'][7] 34:5 AWSOrganizationsNotInUseException | Check failed for 111111111111 (organizations:DescribeOrganization @ 111111111111/global returned AWSOrganizationsNotInUseException: not in use)."],
            Run("target: organization\ninputs:\n  describe:\n    operation: organizations:DescribeOrganization\n    account: management\n    errors:\n      AWSOrganizationsNotInUseException: fail\nassert:\n  - path: $.Organization.Id\n    exists: true\n"));
    }

    [Fact]
    public void Resource_target_skips_inactive_accounts()
    {
        Assert.Equal(
            [
                "pass 111111111111/us-east-1/arn:aws:s3:::logs-333 $['resources'][0]['configuration']['versioning'] 44:40 | Passed: $.configuration.versioning in subject is \"Enabled\", as expected (equal \"Enabled\").",
                "fail 444444444444/eu-west-1/arn:aws:s3:::tmp $['resources'][1]['configuration']['versioning'] 46:40 | Check failed for 444444444444 ($.configuration.versioning in subject is \"Suspended\", expected to equal \"Enabled\").",
                "notApplicable 555555555555/eu-west-1/old - 0:0 | The account is not active.",
            ],
            Run("target: resource\nresourceType: AWS::S3::Bucket\nassert:\n  - path: $.configuration.versioning\n    equals: Enabled\n"));
    }

    [Fact]
    public void Resource_target_without_resources_of_the_type_is_not_applicable()
    {
        Assert.Equal(
            ["notApplicable 111111111111/global/organization - 0:0 | The snapshot has no AWS::EC2::VPC resources to check."],
            Run("target: resource\nresourceType: AWS::EC2::VPC\nassert:\n  - path: $.a\n    exists: true\n"));
    }

    [Fact]
    public void Evidence_target_dispatches_each_record()
    {
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1/guardduty:ListDetectors @ 111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | Check failed for 111111111111 ($.DetectorIds[*] in subject selects nothing (expected it to match /d-[a-z0-9]+/)).",
                "pass 111111111111/us-east-1/guardduty:ListDetectors @ 111111111111/us-east-1 $['evidence'][3]['response']['DetectorIds'][0] 26:38 | Passed: $.DetectorIds[*] in subject is \"d-use1\", as expected (match /d-[a-z0-9]+/).",
                "insufficientData 222222222222/eu-west-1/222222222222/eu-west-1 $['organization']['accounts'][1] 8:7 | Insufficient data: guardduty:ListDetectors @ 222222222222/eu-west-1 is not in the snapshot.",
                "insufficientData 222222222222/us-east-1/guardduty:ListDetectors @ 222222222222/us-east-1 $['evidence'][5] 29:5 | Insufficient data: guardduty:ListDetectors @ 222222222222/us-east-1 was not collected (region disabled).",
                "insufficientData 444444444444/eu-west-1/444444444444/eu-west-1 $['organization']['accounts'][2] 9:7 | Insufficient data: guardduty:ListDetectors @ 444444444444/eu-west-1 is not in the snapshot.",
                "insufficientData 444444444444/us-east-1/444444444444/us-east-1 $['organization']['accounts'][2] 9:7 | Insufficient data: guardduty:ListDetectors @ 444444444444/us-east-1 is not in the snapshot.",
            ],
            Run("target: evidence\noperation: guardduty:ListDetectors\nassert:\n  - path: $.DetectorIds[*]\n    matches: \"d-[a-z0-9]+\"\n"));
    }

    [Fact]
    public void Input_parameters_from_a_selector_over_the_subject()
    {
        Assert.Equal(
            [
                "insufficientData 111111111111/eu-west-1/guardduty:ListDetectors @ 111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | Insufficient data: input 'detector' parameter DetectorId selects nothing with $.DetectorIds[0].",
                "pass 111111111111/us-east-1/guardduty:ListDetectors @ 111111111111/us-east-1 $['evidence'][6]['response']['Status'] 33:31 | Passed: $.Status in detector is \"ENABLED\", as expected (equal \"ENABLED\").",
            ],
            Run("target: evidence\noperation: guardduty:ListDetectors\nscope:\n  roles: [management]\ninputs:\n  detector:\n    operation: guardduty:GetDetector\n    parameters:\n      DetectorId:\n        path: $.DetectorIds[0]\nassert:\n  - input: detector\n    path: $.Status\n    equals: ENABLED\n")
                .Where(f => !f.StartsWith("notApplicable", StringComparison.Ordinal)));
    }

    [Fact]
    public void ForEach_with_id_where_filter_and_selected_values()
    {
        Assert.Equal(
            [
                "notApplicable 111111111111/us-east-1/arn:trail/local $['evidence'][8]['response']['trailList'][1]['IsOrganizationTrail'] 39:82 | Out of scope: $.IsOrganizationTrail in subject is false, expected to equal true.",
                "pass 111111111111/us-east-1/arn:trail/org $['evidence'][8]['response']['trailList'][0]['S3BucketName'] 38:100 | Passed: $.S3BucketName in subject is \"logs-333\", as expected (equal the values of $.trailList[0].S3BucketName in trails).",
            ],
            Run("""
                target: account-region
                scope:
                  roles: [management]
                  regions: [us-east-1]
                inputs:
                  trails:
                    operation: cloudtrail:DescribeTrails
                forEach:
                  input: trails
                  path: $.trailList[*]
                  id: $.TrailARN
                where:
                  - path: $.IsOrganizationTrail
                    equals: true
                assert:
                  - path: $.S3BucketName
                    equals: { input: trails, path: "$.trailList[0].S3BucketName" }
                """).Where(f => f.Contains(" 111111111111/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("notApplicable", "notApplicable 111111111111/eu-west-1/111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | $.DetectorIds[*] in detectors selects nothing.")]
    [InlineData("fail", "fail 111111111111/eu-west-1/111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | Check failed for 111111111111 ($.DetectorIds[*] in detectors selects nothing).")]
    [InlineData("pass", "pass 111111111111/eu-west-1/111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | $.DetectorIds[*] in detectors selects nothing.")]
    public void ForEach_over_nothing_gives_the_ifEmpty_outcome(string ifEmpty, string expected)
    {
        var findings = Run($"target: account-region\nscope:\n  roles: [management]\n  regions: [eu-west-1]\ninputs:\n  detectors: guardduty:ListDetectors\nforEach:\n  path: $.DetectorIds[*]\n  ifEmpty: {ifEmpty}\nassert:\n  - path: $\n    exists: true\n");
        Assert.Equal(expected, findings[0]);
    }

    [Fact]
    public void ForEach_over_nothing_uses_the_ifEmptyMessage()
    {
        var findings = Run("target: account-region\nscope:\n  roles: [management]\n  regions: [eu-west-1]\ninputs:\n  detectors: guardduty:ListDetectors\nforEach:\n  path: $.DetectorIds[*]\n  ifEmpty: fail\n  ifEmptyMessage: no detector at all\nassert:\n  - path: $\n    exists: true\n");
        Assert.Equal("fail 111111111111/eu-west-1/111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | Check failed for 111111111111 (no detector at all).", findings[0]);
    }

    [Fact]
    public void No_active_account_with_the_scoped_role_is_insufficient_data()
    {
        Assert.Equal(
            ["insufficientData 111111111111/global/organization $['roles'] 13:12 | Insufficient data: no active account is assigned the SRA role logArchive; assign it when collecting (e.g. --log-archive-account)."],
            Run("target: account\nscope:\n  roles: [logArchive]\nassert:\n  - path: $.Id\n    exists: true\n"));
    }

    [Fact]
    public void Role_value_source_with_no_account_is_insufficient_data()
    {
        Assert.Equal(
            "insufficientData 111111111111/global/111111111111 $['organization']['accounts'][0] 7:7 | Insufficient data: no account is assigned the SRA role logArchive in the snapshot; configure it when collecting.",
            Run("target: account\nassert:\n  - path: $.Id\n    equals: { role: logArchive }\n")[0]);
    }

    [Fact]
    public void Input_read_from_a_role_with_no_account_is_insufficient_data()
    {
        Assert.Equal(
            ["insufficientData 111111111111/global/organization $['organization'] 4:19 | Insufficient data: input 'summary' reads the logArchive account, but no account is assigned that SRA role in the snapshot."],
            Run("target: organization\ninputs:\n  summary:\n    operation: iam:GetAccountSummary\n    account: logArchive\nassert:\n  - input: summary\n    path: $.SummaryMap\n    exists: true\n"));
    }

    [Fact]
    public void Regions_in_scope_that_are_not_governed_are_not_applicable()
    {
        Assert.Equal(
            ["notApplicable 111111111111/global/organization - 0:0 | None of the rule's regions (ap-south-1) is governed."],
            Run("target: account-region\nscope:\n  regions: [ap-south-1]\nassert:\n  - path: $.Id\n    exists: true\n"));
    }

    [Fact]
    public void Without_accounts_or_governed_regions_the_data_is_insufficient()
    {
        const string noAccounts = "{ \"formatVersion\": \"1.0\", \"regions\": { \"governed\": [\"us-east-1\"] } }";
        Assert.Equal(
            ["insufficientData -/global/organization - 0:0 | Insufficient data: the snapshot has no organization.accounts list, so the accounts to check are unknown."],
            Evaluate(Rule("target: account\nassert:\n  - path: $.Id\n    exists: true\n"), noAccounts));
        const string noRegions = "{ \"formatVersion\": \"1.0\", \"organization\": { \"accounts\": [ { \"Id\": \"111111111111\", \"State\": \"ACTIVE\" } ] } }";
        Assert.Equal(
            ["insufficientData -/global/organization - 0:0 | Insufficient data: the snapshot's regions.governed list is missing or empty, so the regions to check are unknown."],
            Evaluate(Rule("target: account-region\nassert:\n  - path: $.Id\n    exists: true\n"), noRegions));
        const string emptyRegions = "{ \"formatVersion\": \"1.0\", \"organization\": { \"accounts\": [ { \"Id\": \"111111111111\", \"State\": \"ACTIVE\" } ] }, \"regions\": { \"governed\": [] } }";
        Assert.Equal(
            ["insufficientData -/global/organization - 0:0 | Insufficient data: the snapshot's regions.governed list is missing or empty, so the regions to check are unknown."],
            Evaluate(Rule("target: account-region\nassert:\n  - path: $.Id\n    exists: true\n"), emptyRegions));
        Assert.Equal(
            ["pass 111111111111/global/111111111111 $['organization']['accounts'][0]['Id'] 1:67 | Passed: $.Id in subject exists: \"111111111111\"."],
            Evaluate(Rule("target: account\nassert:\n  - path: $.Id\n    exists: true\n"), noRegions));
    }

    [Fact]
    public void MaxAgeHours_needs_collectedAt()
    {
        const string snapshot = "{ \"formatVersion\": \"1.0\", \"organization\": { \"organization\": { \"CreatedAt\": \"2026-01-01T00:00:00Z\" } } }";
        Assert.Equal(
            ["insufficientData -/global/organization $['organization'] 1:43 | Insufficient data: the snapshot has no metadata.collectedAt, so ages cannot be measured."],
            Evaluate(Rule("target: organization\nassert:\n  - path: $.organization.CreatedAt\n    maxAgeHours: 24\n"), snapshot));
    }

    [Theory]
    [InlineData("path: $.SummaryMap.Users\n    exists: true", "pass $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Passed: $.SummaryMap.Users in summary exists: 3.")]
    [InlineData("path: $.SummaryMap.Nope\n    exists: false", "pass $['evidence'][0]['response'] 20:19 | Passed: $.SummaryMap.Nope in summary is absent, as expected.")]
    [InlineData("path: $.SummaryMap.Users\n    exists: false", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.Users in summary should be absent but selects 3).")]
    [InlineData("path: $.SummaryMap.Nope\n    exists: true", "fail $['evidence'][0]['response'] 20:19 | Check failed for 111111111111 ($.SummaryMap.Nope in summary selects nothing).")]
    [InlineData("path: $.SummaryMap\n    notEmpty: true", "pass $['evidence'][0]['response']['SummaryMap'] 20:35 | Passed: $.SummaryMap in summary is { \"AccountMFAEnabled\": 1, \"Users\": 3 }, as expected (be non-empty).")]
    [InlineData("path: $.SummaryMap.Nope\n    notEmpty: true", "fail $['evidence'][0]['response'] 20:19 | Check failed for 111111111111 ($.SummaryMap.Nope in summary selects nothing (expected it to be non-empty)).")]
    [InlineData("path: $.SummaryMap.Users\n    equals: 3", "pass $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Passed: $.SummaryMap.Users in summary is 3, as expected (equal 3).")]
    [InlineData("path: $.SummaryMap.Users\n    notEquals: 3", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.Users in summary is 3, expected to not equal 3).")]
    [InlineData("path: $.SummaryMap.Users\n    in: [1, 2, 3]", "pass $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Passed: $.SummaryMap.Users in summary is 3, as expected (be one of [1, 2, 3]).")]
    [InlineData("path: $.SummaryMap.Users\n    notIn: [3, \"3\"]", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.Users in summary is 3, expected to not be one of [3, \"3\"]).")]
    [InlineData("path: $.SummaryMap.Users\n    matches: \"[0-9]+\"", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.Users in summary is 3, expected to match /[0-9]+/).")]
    [InlineData("path: $.SummaryMap.*\n    count: 2", "pass $['evidence'][0]['response'] 20:19 | Passed: $.SummaryMap.* in summary selects 2, as expected (select exactly 2 node(s)).")]
    [InlineData("path: $.SummaryMap.*\n    count: { max: 1 }", "fail $['evidence'][0]['response'] 20:19 | Check failed for 111111111111 ($.SummaryMap.* in summary should select at most 1 node(s), but selects 2).")]
    [InlineData("path: $.SummaryMap.Users\n    greaterThan: 2", "pass $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Passed: $.SummaryMap.Users in summary is 3, as expected (be > 2).")]
    [InlineData("path: $.SummaryMap.Users\n    greaterOrEqual: 4", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.Users in summary is 3, expected to be >= 4).")]
    [InlineData("path: $.SummaryMap.Users\n    lessThan: 3.5", "pass $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Passed: $.SummaryMap.Users in summary is 3, as expected (be < 3.5).")]
    [InlineData("path: $.SummaryMap.Users\n    lessOrEqual: 2", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.Users in summary is 3, expected to be <= 2).")]
    [InlineData("path: $.SummaryMap.*\n    equals: 1", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 ($.SummaryMap.* in summary is 3, expected to equal 1).")]
    [InlineData("path: $.SummaryMap.*\n    quantifier: any\n    equals: 1", "pass $['evidence'][0]['response']['SummaryMap']['AccountMFAEnabled'] 20:58 | Passed: $.SummaryMap.* in summary has 1, as expected (equal 1).")]
    [InlineData("path: $.SummaryMap.*\n    quantifier: any\n    equals: 7", "fail $['evidence'][0]['response']['SummaryMap']['AccountMFAEnabled'] 20:58 | Check failed for 111111111111 (no value of $.SummaryMap.* in summary is expected to equal 7 (first: 1)).")]
    [InlineData("path: $.SummaryMap.Users\n    equals: 3\n    message: custom words", "pass $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Passed: $.SummaryMap.Users in summary is 3, as expected (equal 3).")]
    [InlineData("path: $.SummaryMap.Users\n    equals: 4\n    message: custom words", "fail $['evidence'][0]['response']['SummaryMap']['Users'] 20:70 | Check failed for 111111111111 (custom words).")]
    public void Every_test_operator(string condition, string expected)
    {
        var findings = Run($"target: organization\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - {condition}\n");
        Assert.Equal("111111111111/global/organization", findings.Single().Split(' ')[1]);
        Assert.Equal(expected, string.Join(' ', findings[0].Split(' ').Where((_, i) => i != 1)));
    }

    [Fact]
    public void A_pass_says_what_held_on_one_line_with_values_cut_and_at_most_three_conditions()
    {
        // trailList spans several lines in the snapshot: the detail shows it compactly, cut at 80 characters; the
        // fourth condition that held is counted, not shown.
        Assert.Equal(
            "pass 111111111111/us-east-1/111111111111/us-east-1 $['evidence'][8]['response']['trailList'] 37:34 | Passed: "
            + "$.trailList in trails is [{\"Name\":\"org\",\"TrailARN\":\"arn:trail/org\",\"IsOrganizationTrail\":true,\"S3Bucke..., as expected (be non-empty); "
            + "all 2 values of $.trailList[*].Name in trails are as expected (match /^[a-z]+$/), the first \"org\"; "
            + "$.trailList[0].IsOrganizationTrail in trails is true, as expected (equal true); and 1 more held.",
            Run("target: account-region\nscope:\n  roles: [management]\n  regions: [us-east-1]\ninputs:\n  trails: cloudtrail:DescribeTrails\n"
                + "assert:\n  - path: $.trailList\n    notEmpty: true\n  - path: $.trailList[*].Name\n    matches: \"^[a-z]+$\"\n"
                + "  - path: $.trailList[0].IsOrganizationTrail\n    equals: true\n  - path: $.trailList[*].S3BucketName\n    exists: true\n").Single(f => f.StartsWith("pass", StringComparison.Ordinal)));
    }

    [Fact]
    public void MaxAgeHours_is_measured_at_collection_time_and_combinators_nest()
    {
        const string detector = "target: account-region\nscope:\n  roles: [management]\n  regions: [us-east-1]\ninputs:\n  detector:\n    operation: guardduty:GetDetector\n    parameters: { DetectorId: d-use1 }\n";
        Assert.Equal(
            "pass 111111111111/us-east-1/111111111111/us-east-1 $['evidence'][6]['response']['UpdatedAt'] 33:55 | Passed: $.UpdatedAt in detector is \"2026-11-30T06:00:00Z\", as expected (be at most 6 hours old).",
            Run(detector + "assert:\n  - input: detector\n    path: $.UpdatedAt\n    maxAgeHours: 6\n")[0]);
        Assert.Equal(
            "fail 111111111111/us-east-1/111111111111/us-east-1 $['evidence'][6]['response']['UpdatedAt'] 33:55 | Check failed for 111111111111 (none of these hold: $.UpdatedAt in detector is \"2026-11-30T06:00:00Z\", expected to be at most 5 hours old; $.Status in detector is \"ENABLED\", expected to equal \"DISABLED\").",
            Run(detector + """
                assert:
                  any:
                    - input: detector
                      path: $.UpdatedAt
                      maxAgeHours: 5
                    - all:
                        - input: detector
                          path: $.Status
                          equals: DISABLED
                        - not:
                            input: detector
                            path: $.Status
                            exists: true
                """)[0]);
        Assert.Equal(
            "fail 111111111111/us-east-1/111111111111/us-east-1 $['evidence'][6]['response']['Status'] 33:31 | Check failed for 111111111111 (expected the opposite of: $.Status in detector should exist).",
            Run(detector + "assert:\n  not:\n    input: detector\n    path: $.Status\n    exists: true\n")[0]);
        Assert.Equal(
            "pass 111111111111/us-east-1/111111111111/us-east-1 $['evidence'][6]['response'] 33:19 | Passed: the opposite of: $.Nope in detector should exist ($.Nope in detector selects nothing).",
            Run(detector + "assert:\n  not:\n    input: detector\n    path: $.Nope\n    exists: true\n")[0]);
    }

    [Fact]
    public void Role_and_subject_account_value_sources()
    {
        Assert.Equal(
            [
                "pass 111111111111/global/111111111111 $['organization']['accounts'][0]['Id'] 7:15 | Passed: $.Id in subject is \"111111111111\", as expected (be one of the account id(s) of role management or securityTooling); $.Id in subject is \"111111111111\", as expected (equal the subject's account id); $.Name in subject is \"Management\", as expected (not equal \"Audit\").",
                "fail 222222222222/global/222222222222 $['organization']['accounts'][1]['Name'] 8:39 | Check failed for 222222222222 ($.Name in subject is \"Audit\", expected to not equal \"Audit\").",
                "fail 444444444444/global/444444444444 $['organization']['accounts'][2]['Id'] 9:15 | Check failed for 444444444444 ($.Id in subject is \"444444444444\", expected to be one of the account id(s) of role management or securityTooling).",
            ],
            Run("target: account\nassert:\n  - path: $.Id\n    in: { role: [management, securityTooling] }\n  - path: $.Id\n    equals: { subjectAccount: true }\n  - path: $.Name\n    notEquals: { value: Audit }\n"));
    }

    [Fact]
    public void Subject_region_value_source_is_the_subject_region_and_insufficient_for_a_global_subject()
    {
        const string assert = "assert:\n  - input: regions\n    path: $.governed[0]\n    equals: { subjectRegion: true }\n";
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1/111111111111/eu-west-1 $['regions']['governed'][0] 17:30 | Check failed for 111111111111 ($.governed[0] in regions is \"us-east-1\", expected to equal the subject's region).",
                "pass 111111111111/us-east-1/111111111111/us-east-1 $['regions']['governed'][0] 17:30 | Passed: $.governed[0] in regions is \"us-east-1\", as expected (equal the subject's region).",
            ],
            Run("target: account-region\nscope:\n  roles: [management]\n" + assert).Where(f => !f.StartsWith("notApplicable", StringComparison.Ordinal)));
        Assert.Equal(
            ["insufficientData 111111111111/global/111111111111 $['organization']['accounts'][0] 7:7 | Insufficient data: the subject has no region to compare with."],
            Run("target: account\nscope:\n  roles: [management]\n" + assert).Where(f => !f.StartsWith("notApplicable", StringComparison.Ordinal)));
    }

    [Fact]
    [Covers(DiagnosticCodes.EvaluationFailed)]
    public void An_internal_exception_becomes_an_error_finding()
    {
        // Not reachable from YAML (the binder only builds known condition types); a hand-built rule reaches it.
        var rule = HandBuilt(new UnknownCondition { Location = new SourceLocation("x.yaml", 1, 1) });
        using var snapshot = Snapshot(MinimalSnapshot);
        var finding = Assert.Single(Evaluator.Evaluate(new RuleSet([rule]), snapshot, new EvaluationOptions { MaxParallelism = 1 }).Findings);
        Assert.Equal(
            "error -/global/organization $['organization'] 3:19 PE3001 | Evaluation failed: InvalidOperationException: Unknown condition type UnknownCondition.",
            Show(finding));
    }

    [Fact]
    [Covers(DiagnosticCodes.RegexTimeout)]
    public void A_regex_timeout_becomes_an_error_finding()
    {
        // Rule packs compile regexes as NonBacktracking, so no YAML rule times out; a hand-built backtracking regex does.
        Assert.True(JsonPathQuery.TryParse("$.organization.Name", out var path, out _));
        var regex = new Regex("^(a+)+$", RegexOptions.None, TimeSpan.FromMilliseconds(1));
        var rule = HandBuilt(new PathCondition
        {
            Input = "subject", Path = path!, Test = new MatchesTest(regex, "(a+)+"), Location = new SourceLocation("x.yaml", 1, 1),
        });
        using var snapshot = Snapshot(MinimalSnapshot);
        var finding = Assert.Single(Evaluator.Evaluate(new RuleSet([rule]), snapshot).Findings);
        Assert.Equal("error -/global/organization $['organization'] 3:19 PE3002 | The regular expression /(a+)+/ timed out.", Show(finding));
    }

    [Fact]
    public void Predicate_results_become_outcomes_and_missing_evidence_stops_the_script()
    {
        Assert.Equal(
            [
                "pass 111111111111/global/111111111111 $['organization']['accounts'][0] 7:7 | Few users.",
                "fail 222222222222/global/222222222222 $['organization']['accounts'][1] 8:7 | Check failed for 222222222222 (12 users).",
                "insufficientData 444444444444/global/444444444444 $['organization']['accounts'][2] 9:7 | Insufficient data: iam:GetAccountSummary @ 444444444444/global failed with AccessDenied: not authorized.",
            ],
            Run("""
                target: account
                inputs:
                  summary: iam:GetAccountSummary
                predicate: |
                  const users = ctx.inputs.summary.SummaryMap.Users;
                  return { pass: users < 10, message: users < 10 ? 'few users' : users + ' users' };
                """));
    }

    [Fact]
    public void Predicate_path_is_relative_to_the_subject_and_notApplicable_is_honoured()
    {
        Assert.Equal(
            [
                "pass 111111111111/global/111111111111 $['organization']['accounts'][0]['Name'] 7:39 | Passed.",
                "notApplicable 222222222222/global/222222222222 $['organization']['accounts'][1] 8:7 | Not mine.",
                "fail 444444444444/global/444444444444 $['organization']['accounts'][2]['Name'] 9:39 | Check failed for 444444444444.",
            ],
            Run("""
                target: account
                predicate: |
                  if (ctx.account === '222222222222') return { notApplicable: true, message: 'not mine' };
                  return { pass: ctx.roles.includes('management'), path: '$.Name' };
                """));
    }

    [Fact]
    public void A_throwing_predicate_is_an_error_with_the_runtime_code()
    {
        var findings = Run("target: organization\npredicate: |\n  throw new Error('boom');\n");
        var finding = Assert.Single(findings);
        Assert.StartsWith("error 111111111111/global/organization $['organization'] 4:19 PE3101 | ", finding, StringComparison.Ordinal);
        Assert.Contains("boom", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void A_predicate_error_is_located_at_its_line_and_column_in_the_rule_file()
    {
        // As an author writes it: a block scalar several lines into the rule, failing on its fourth line.
        var findings = Run("""
            target: account
            scope:
              roles: [management]
            inputs:
              summary: iam:GetAccountSummary
            predicate: |
              const summary = ctx.inputs.summary;
              const users = summary.SummaryMap.Users;
              if (users > 1) {
                return summary.Missing.Value > 0;
              }
              return true;
            """).Where(f => f.StartsWith("error", StringComparison.Ordinal));
        Assert.Equal(
            ["error 111111111111/global/111111111111 $['organization']['accounts'][0] 7:7 PE3101 | Predicate threw TypeError: Cannot read properties of undefined (reading 'Value') (at r0.yaml:15:28)."],
            findings);
    }

    [Fact]
    public void A_predicate_limit_is_located_at_the_running_statement_in_the_rule_file()
    {
        var options = new EvaluationOptions
        {
            MaxParallelism = 1,
            Sandbox = new ScriptSandboxOptions { TimeoutMs = 60_000, MaxStatements = 1000 },
        };
        var finding = Assert.Single(Run("target: organization\npredicate: |\n  let i = 0;\n  while (true) {\n    i++;\n  }\n", options));
        Assert.Equal("error 111111111111/global/organization $['organization'] 4:19 PE3103 | Predicate exceeded the statement limit of 1000 statements (maxStatements) (at r0.yaml:10:5).", finding);
    }

    [Fact]
    public void A_looping_predicate_is_an_error_with_the_timeout_code()
    {
        var options = new EvaluationOptions
        {
            MaxParallelism = 1,
            Sandbox = new ScriptSandboxOptions { TimeoutMs = 20, MaxStatements = ScriptSandboxOptions.MaxMaxStatements },
        };
        var finding = Assert.Single(Run("target: organization\npredicate: |\n  while (true) { }\n", options));
        Assert.StartsWith("error 111111111111/global/organization $['organization'] 4:19 PE3102 | ", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_by_default_rules_do_not_run()
    {
        using var snapshot = Snapshot(Json);
        var rules = RuleSet(Rule("enabledByDefault: false\ntarget: organization\nassert: { path: $.a, exists: true }\n"));
        var result = Evaluator.Evaluate(rules, snapshot);
        Assert.Empty(result.Findings);
        Assert.Empty(result.Rules);
        Assert.Equal("snap.json", result.Snapshot);
    }

    private static CompiledRule HandBuilt(Condition assert) => new()
    {
        Descriptor = new RuleDescriptor
        {
            Id = "SRA-HAND-01", Title = "t", MessageFormat = "m", Category = "c", DefaultSeverity = RuleSeverity.Low,
        },
        Target = TargetKind.Organization,
        Assert = assert,
        Location = new SourceLocation("x.yaml", 1, 5),
    };

    [Fact]
    public void Where_on_the_account_excludes_it_before_forEach_ifEmpty_and_missing_forEach_evidence()
    {
        // Regression: the excluded management account (OuPath "Root", no detector in eu-west-1) used to FAIL through
        // ifEmpty, and the excluded Audit account (no ListDetectors record) used to be InsufficientData.
        Assert.Equal(
            [
                "notApplicable 111111111111/eu-west-1/111111111111/eu-west-1 $['organization']['accounts'][0]['OuPath'] 7:82 | Out of scope: $.OuPath in account is \"Root\", expected to match /Root/Workloads(/.*)?/.",
                "notApplicable 222222222222/eu-west-1/222222222222/eu-west-1 $['organization']['accounts'][1]['OuPath'] 8:77 | Out of scope: $.OuPath in account is \"Root/Security\", expected to match /Root/Workloads(/.*)?/.",
                "insufficientData 444444444444/eu-west-1/444444444444/eu-west-1 $['organization']['accounts'][2] 9:7 | Insufficient data: guardduty:ListDetectors @ 444444444444/eu-west-1 is not in the snapshot.",
            ],
            Run("""
                target: account-region
                scope:
                  regions: [eu-west-1]
                inputs:
                  detectors: guardduty:ListDetectors
                where:
                  - input: account
                    path: $.OuPath
                    matches: "Root/Workloads(/.*)?"
                forEach:
                  input: detectors
                  path: $.DetectorIds[*]
                  ifEmpty: fail
                  ifEmptyMessage: no GuardDuty detector in this region
                assert:
                  - path: $
                    exists: true
                """));
    }

    [Fact]
    public void Where_on_the_account_that_holds_still_gives_the_ifEmpty_outcome()
    {
        Assert.Equal(
            [
                "fail 111111111111/eu-west-1/111111111111/eu-west-1 $['evidence'][4]['response'] 28:19 | Check failed for 111111111111 (no GuardDuty detector in this region).",
                "notApplicable 222222222222/eu-west-1/222222222222/eu-west-1 - 0:0 | The account is not a management account.",
                "notApplicable 444444444444/eu-west-1/444444444444/eu-west-1 - 0:0 | The account is not a management account.",
            ],
            Run("""
                target: account-region
                scope:
                  roles: [management]
                  regions: [eu-west-1]
                inputs:
                  detectors: guardduty:ListDetectors
                where:
                  - input: account
                    path: $.OuPath
                    equals: Root
                forEach:
                  input: detectors
                  path: $.DetectorIds[*]
                  ifEmpty: fail
                  ifEmptyMessage: no GuardDuty detector in this region
                assert:
                  - path: $
                    exists: true
                """));
    }

    /// <summary>A snapshot shaped as <c>policy-engine collect</c> writes it: an empty resources list, marked notCollected.</summary>
    private const string CollectedLive = """
        {
          "formatVersion": "1.0",
          "metadata": { "callerAccountId": "111111111111", "collectedAt": "2026-11-30T12:00:00.000Z",
                        "collector": { "name": "policy-engine", "version": "0.1.0" }, "partition": "aws", "source": "live" },
          "organization": { "organization": { "Id": "o-abc", "FeatureSet": "ALL" },
                            "accounts": [ { "Id": "111111111111", "Name": "Management", "State": "ACTIVE", "OuPath": "Root" } ] },
          "roles": { "management": [ { "accountId": "111111111111", "source": "caller" } ] },
          "regions": { "governed": [ "us-east-1" ], "enabledByAccount": { "111111111111": [ "us-east-1" ] } },
          "evidence": [],
          "resources": [],
          "coverage": {
            "accounts": { "active": 1, "roleNotAssumed": [] },
            "byAccount": {}, "byService": {},
            "byStatus": { "error": 0, "notCollected": 0, "ok": 0, "total": 0 },
            "sections": { "evidence": "notCollected", "organization": "collected", "resources": "notCollected" }
          }
        }
        """;

    /// <summary>A snapshot shaped as <c>policy-engine import</c> writes it: Config items, resources collected.</summary>
    private const string Imported = """
        {
          "formatVersion": "1.0",
          "metadata": { "callerAccountId": "", "collectedAt": "2026-11-30T12:00:00.000Z",
                        "collector": { "name": "policy-engine", "version": "0.1.0" }, "partition": "aws", "source": "import" },
          "roles": { },
          "regions": { "governed": [], "enabledByAccount": {} },
          "evidence": [],
          "resources": [
            { "ARN": "arn:aws:s3:::logs", "awsAccountId": "111111111111", "awsRegion": "us-east-1", "configuration": { "name": "logs" },
              "configurationItemCaptureTime": "2026-11-30T11:52:03.121Z", "configurationItemStatus": "OK", "configurationItemVersion": "1.3",
              "resourceId": "logs", "resourceName": "logs", "resourceType": "AWS::S3::Bucket", "supplementaryConfiguration": {} }
          ],
          "coverage": {
            "accounts": { "active": 0, "roleNotAssumed": [] },
            "byAccount": {}, "byService": {},
            "byStatus": { "error": 0, "notCollected": 0, "ok": 0, "total": 0 },
            "sections": { "evidence": "notCollected", "organization": "notCollected", "resources": "collected" }
          }
        }
        """;

    private static readonly string BucketRule = Rule("target: resource\nresourceType: AWS::S3::Bucket\nassert:\n  - path: $.configuration.name\n    exists: true\n");

    [Fact]
    public void Resource_rule_on_a_live_snapshot_whose_resources_were_not_collected_is_insufficient_data()
    {
        // Regression: this was NotApplicable ("no AWS::S3::Bucket resources"), which passes the CI gate on every live snapshot.
        Assert.Equal(
            ["insufficientData 111111111111/global/organization $['coverage']['sections']['resources'] 15:89 | Insufficient data: the snapshot's resources were not collected (coverage.sections.resources is notCollected), so AWS::S3::Bucket resources cannot be checked; evaluate a snapshot with AWS Config resources (policy-engine import)."],
            Evaluate(BucketRule, CollectedLive));
    }

    [Fact]
    public void Resource_rule_on_a_snapshot_without_a_resources_section_is_insufficient_data()
    {
        var withoutResources = CollectedLive.Replace("\"resources\": [],", string.Empty, StringComparison.Ordinal)
            .Replace(", \"resources\": \"notCollected\"", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("resources", withoutResources, StringComparison.Ordinal);
        Assert.Equal(
            ["insufficientData 111111111111/global/organization - 0:0 | Insufficient data: the snapshot has no resources section (AWS Config resources were not collected), so AWS::S3::Bucket resources cannot be checked; evaluate a snapshot with AWS Config resources (policy-engine import)."],
            Evaluate(BucketRule, withoutResources));
    }

    [Fact]
    public void Resource_rule_on_an_imported_snapshot_checks_its_items_and_is_not_applicable_to_absent_types()
    {
        Assert.Equal(
            ["pass 111111111111/us-east-1/arn:aws:s3:::logs $['resources'][0]['configuration']['name'] 9:120 | Passed: $.configuration.name in subject exists: \"logs\"."],
            Evaluate(BucketRule, Imported));
        Assert.Equal(
            ["notApplicable -/global/organization - 0:0 | The snapshot has no AWS::EC2::VPC resources to check."],
            Evaluate(BucketRule.Replace("AWS::S3::Bucket", "AWS::EC2::VPC", StringComparison.Ordinal), Imported));
    }

    /// <summary>An organization predicate that passes when no bucket lacks versioning, as a user writes it with ctx.resources.</summary>
    private static readonly string NoUnversionedBucket = Rule(
        "target: organization\npredicate: |\n  const unversioned = ctx.resources('AWS::S3::Bucket').filter(b => b.configuration.name !== 'logs');\n"
        + "  return { pass: unversioned.length === 0, message: unversioned.length + ' other bucket(s)' };\n");

    [Fact]
    public void Ctx_resources_on_a_snapshot_whose_resources_were_not_collected_is_insufficient_data()
    {
        // Regression: ctx.resources returned [] here, so "no bad bucket" passed on every live snapshot.
        Assert.Equal(
            ["insufficientData 111111111111/global/organization $['organization'] 5:19 | The snapshot's resources were not collected (coverage.sections.resources is notCollected), so ctx.resources('AWS::S3::Bucket') cannot tell which resources exist; evaluate a snapshot with AWS Config resources (policy-engine import)."],
            Evaluate(NoUnversionedBucket, CollectedLive));
        var withoutResources = CollectedLive.Replace("\"resources\": [],", string.Empty, StringComparison.Ordinal)
            .Replace(", \"resources\": \"notCollected\"", string.Empty, StringComparison.Ordinal);
        Assert.Equal(
            ["insufficientData 111111111111/global/organization $['organization'] 5:19 | The snapshot has no resources section (AWS Config resources were not collected), so ctx.resources('AWS::S3::Bucket') cannot tell which resources exist; evaluate a snapshot with AWS Config resources (policy-engine import)."],
            Evaluate(NoUnversionedBucket, withoutResources));
    }

    [Fact]
    public void Ctx_resources_on_a_snapshot_with_resources_gives_the_items_of_the_type_or_none()
    {
        Assert.Equal(
            ["pass -/global/organization - 0:0 | 0 other bucket(s)."],
            Evaluate(NoUnversionedBucket, Imported));
        Assert.Equal(
            ["pass -/global/organization - 0:0 | 0 other bucket(s)."],
            Evaluate(NoUnversionedBucket.Replace("AWS::S3::Bucket", "AWS::EC2::VPC", StringComparison.Ordinal), Imported));
    }

    private sealed record UnknownCondition : Condition;
}
