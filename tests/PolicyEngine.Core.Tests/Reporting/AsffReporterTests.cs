using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class AsffReporterTests
{
    private static readonly AsffReporter Reporter = new();

    private static JsonElement Requests(bool includePassing = false, EvaluationResult? result = null) =>
        JsonDocument.Parse(RichReportFixture.Render(Reporter, ReportFixture.Context(includePassing), result)).RootElement.Clone();

    private static IEnumerable<JsonElement> Findings(JsonElement requests) =>
        requests.EnumerateArray().SelectMany(r => r.GetProperty("Findings").EnumerateArray());

    [Theory]
    [InlineData(false, "findings.asff.json")]
    [InlineData(true, "findings-all.asff.json")]
    public void Output_matches_golden_file(bool includePassing, string golden) =>
        Golden.AssertMatches(golden, RichReportFixture.Render(Reporter, ReportFixture.Context(includePassing)));

    [Fact]
    public void Output_is_deterministic_utf8_without_bom_with_lf() =>
        RichReportFixture.AssertDeterministicUtf8(Reporter, ReportFixture.Context(includePassing: true));

    /// <summary>What Security Hub documents beyond the model's constraints, and what a custom integration requires.</summary>
    private static void AssertImportable(JsonElement requests)
    {
        var model = AsffModel.Load();
        // Security Hub's resource types: those it has details for, plus AwsAccount (documented for account findings).
        var types = model.Members("ResourceDetails").Append("AwsAccount").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(JsonValueKind.Array, requests.ValueKind);
        foreach (var request in requests.EnumerateArray())
        {
            Assert.Empty(model.Validate(request, "BatchImportFindingsRequest"));
            var findings = request.GetProperty("Findings").EnumerateArray().ToList();
            Assert.InRange(findings.Count, 1, AsffReporter.BatchSize);
            // One account and one region per request: the caller of BatchImportFindings must be the findings' account.
            Assert.Single(findings.Select(f => f.GetProperty("ProductArn").GetString()).Distinct());
            foreach (var finding in findings)
            {
                var account = finding.GetProperty("AwsAccountId").GetString()!;
                Assert.Matches("^[0-9]{12}$", account);
                Assert.Matches($"^arn:aws:securityhub:[a-z]{{2}}(-[a-z]+)+-[0-9]+:{account}:product/{account}/default$", finding.GetProperty("ProductArn").GetString()!);
                Assert.Equal("2018-10-08", finding.GetProperty("SchemaVersion").GetString());
                Assert.InRange(finding.GetProperty("Title").GetString()!.Length, 1, AsffReporter.TitleLimit);
                Assert.InRange(finding.GetProperty("Description").GetString()!.Length, 1, AsffReporter.DescriptionLimit);
                Assert.InRange(finding.GetProperty("Id").GetString()!.Length, 1, 512);
                Assert.InRange(finding.GetProperty("GeneratorId").GetString()!.Length, 1, 512);
                Assert.InRange(finding.GetProperty("Resources").GetArrayLength(), 1, 32);
                Assert.All(finding.GetProperty("Resources").EnumerateArray(), r => Assert.Contains(r.GetProperty("Type").GetString()!, types));
                Assert.True(DateTimeOffset.TryParse(finding.GetProperty("CreatedAt").GetString(), out _));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_request_is_a_valid_batch_import_findings_request(bool includePassing) => AssertImportable(Requests(includePassing));

    [Theory]
    [InlineData("Title", null, "required member AwsSecurityFinding.Title is missing")]
    [InlineData("Compliance", "{\"Status\": \"OK\"}", "$.Findings[0].Compliance.Status: 'OK' is not one of ComplianceStatus's values")]
    [InlineData("Severity", "{\"Label\": \"SEVERE\"}", "$.Findings[0].Severity.Label: 'SEVERE' is not one of SeverityLabel's values")]
    [InlineData("Resources", null, "required member AwsSecurityFinding.Resources is missing")]
    [InlineData("Confidence", "\"high\"", "$.Findings[0].Confidence: Integer must be an integer")]
    [InlineData("Colour", "\"red\"", "$.Findings[0].Colour: AwsSecurityFinding has no member Colour")]
    [InlineData("Description", "\"   \"", "$.Findings[0].Description: '   ' does not match NonEmptyString's pattern .*\\S.*")]
    public void The_model_check_reports_what_security_hub_would_refuse(string member, string? json, string expected)
    {
        var request = JsonNode.Parse(Requests()[0].GetRawText())!;
        var finding = request["Findings"]![0]!.AsObject();
        if (json is null)
        {
            finding.Remove(member);
        }
        else
        {
            finding[member] = JsonNode.Parse(json);
        }

        var problems = AsffModel.Load().Validate(JsonSerializer.SerializeToElement(request), "BatchImportFindingsRequest");
        Assert.Contains(problems, p => p.EndsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Findings_are_batched_by_account_and_region_in_requests_of_at_most_100()
    {
        var template = RichReportFixture.Result().Findings[2]; // GuardDuty fail, 222222222222 us-east-1
        var many = Enumerable.Range(0, 250).Select(i => template with { Subject = template.Subject with { Resource = $"guardduty:ListDetectors/222222222222/us-east-1#{i:D3}" } })
            .Append(template with { Subject = template.Subject with { Account = "999999999999" } })
            .Append(template with { Subject = template.Subject with { Region = "global" } })
            .ToArray();
        var requests = Requests(result: RichReportFixture.Result() with { Findings = many });
        AssertImportable(requests);
        Assert.Equal(
            [
                "100 arn:aws:securityhub:us-east-1:222222222222:product/222222222222/default",
                "100 arn:aws:securityhub:us-east-1:222222222222:product/222222222222/default",
                "51 arn:aws:securityhub:us-east-1:222222222222:product/222222222222/default",
                "1 arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default",
            ],
            requests.EnumerateArray().Select(r => $"{r.GetProperty("Findings").GetArrayLength()} {r.GetProperty("Findings")[0].GetProperty("ProductArn").GetString()}"));
        // Report order within a batch; the global finding lands in --asff-region (default us-east-1).
        Assert.Equal("guardduty:ListDetectors/222222222222/us-east-1#000", Findings(requests).First().GetProperty("ProductFields").GetProperty("policy-engine/Subject").GetString());
    }

    [Fact]
    public void Global_subjects_take_the_configured_region()
    {
        var requests = Requests(result: RichReportFixture.Result() with { Findings = [RichReportFixture.Result().Findings[0]] });
        Assert.Equal("arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default", Findings(requests).Single().GetProperty("ProductArn").GetString());
        using var stream = new MemoryStream();
        Reporter.Write(RichReportFixture.Result() with { Findings = [RichReportFixture.Result().Findings[0]] }, ReportFixture.Context() with { AsffRegion = "eu-central-1" }, stream);
        Assert.Contains("arn:aws:securityhub:eu-central-1:111111111111:product/111111111111/default", RichReportFixture.Text(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Outcomes_map_to_compliance_status_severity_label_and_workflow()
    {
        var summary = Findings(Requests(includePassing: true)).Select(f =>
            $"{f.GetProperty("ProductFields").GetProperty("policy-engine/Outcome").GetString()} {f.GetProperty("Compliance").GetProperty("Status").GetString()} {f.GetProperty("Severity").GetProperty("Label").GetString()} {f.GetProperty("Workflow").GetProperty("Status").GetString()} {f.GetProperty("RecordState").GetString()} {f.GetProperty("Resources")[0].GetProperty("Type").GetString()}");
        Assert.Equal(
            [
                "fail FAILED CRITICAL NEW ACTIVE Other",
                "error NOT_AVAILABLE HIGH NEW ACTIVE AwsAccount",
                "fail FAILED HIGH NEW ACTIVE AwsAccount",
                "pass PASSED INFORMATIONAL RESOLVED ACTIVE AwsAccount",
                "insufficientData WARNING HIGH NEW ACTIVE AwsAccount",
                "fail FAILED LOW SUPPRESSED ACTIVE AwsS3Bucket",
                "fail FAILED MEDIUM NEW ACTIVE AwsS3Bucket",
                "notApplicable NOT_AVAILABLE INFORMATIONAL RESOLVED ACTIVE AwsS3Bucket",
            ],
            summary);
        Assert.Equal("PASSED", AsffReporter.ComplianceStatus(Outcome.Pass));
        Assert.Equal("WARNING", AsffReporter.ComplianceStatus(Outcome.InsufficientData));
    }

    [Fact]
    public void Long_title_and_description_are_cut_to_the_limits_with_a_marker()
    {
        var template = RichReportFixture.Result().Findings[0];
        var rule = template.Rule with { Title = new string('t', 400), Description = new string('d', 3000) };
        var finding = template with { Rule = rule, Message = "m" };
        var written = Findings(Requests(result: RichReportFixture.Result() with { Rules = [rule], Findings = [finding] })).Single();
        var title = written.GetProperty("Title").GetString()!;
        var description = written.GetProperty("Description").GetString()!;
        Assert.Equal(AsffReporter.TitleLimit, title.Length);
        Assert.EndsWith(AsffReporter.TruncationMarker, title, StringComparison.Ordinal);
        Assert.StartsWith("SRA-CLOUDTRAIL-01 ttt", title, StringComparison.Ordinal);
        Assert.Equal(AsffReporter.DescriptionLimit, description.Length);
        Assert.EndsWith(AsffReporter.TruncationMarker, description, StringComparison.Ordinal);
        Assert.Equal("short", AsffReporter.Truncate("short", 10));
        // A surrogate pair is never split.
        var cut = AsffReporter.Truncate(new string('a', 2) + "😀" + new string('b', 30), 16);
        Assert.Equal("aa" + AsffReporter.TruncationMarker, cut);
    }

    [Theory]
    [InlineData("arn:aws:s3:::my-bucket", "AwsS3Bucket")]
    [InlineData("arn:aws:s3:::my-bucket/key", "AwsS3Object")]
    [InlineData("arn:aws:iam::111111111111:role/Admin", "AwsIamRole")]
    [InlineData("arn:aws:kms:us-east-1:111111111111:key/1234", "AwsKmsKey")]
    [InlineData("arn:aws:cloudtrail:us-east-1:111111111111:trail/org", "AwsCloudTrailTrail")]
    [InlineData("arn:aws:sqs:us-east-1:111111111111:queue", "AwsSqsQueue")]
    [InlineData("arn:aws:lambda:us-east-1:111111111111:function:f", "AwsLambdaFunction")]
    [InlineData("arn:aws:macie2:us-east-1:111111111111:session", "Other")]
    [InlineData("not-an-arn", "Other")]
    public void Resource_types_come_from_the_arn(string arn, string type)
    {
        Assert.Equal(type, AsffReporter.ArnResourceType(arn));
        Assert.Contains(type, AsffModel.Load().Members("ResourceDetails").Append("AwsAccount"));
    }

    [Fact]
    public void A_finding_without_an_account_is_left_out()
    {
        var template = RichReportFixture.Result().Findings[0];
        var orphan = template with { Subject = template.Subject with { Account = null } };
        Assert.Equal(0, Requests(result: RichReportFixture.Result() with { Findings = [orphan] }).GetArrayLength());
    }

    [Fact]
    public void With_a_baseline_fixed_findings_are_archived_and_resolved_under_the_id_they_were_imported_with()
    {
        var result = RichReportFixture.Result();
        var bytes = RichReportFixture.Render(Reporter, ReportFixture.Context() with { Baseline = RichReportFixture.Baseline(result) }, result);
        Golden.AssertMatches("findings-baseline.asff.json", bytes);
        var requests = JsonDocument.Parse(bytes).RootElement;
        AssertImportable(requests);
        Assert.Equal(
            [
                "error unchanged NEW ACTIVE",
                "fail new NEW ACTIVE",
                "fail unchanged NEW ACTIVE",
                "fail unchanged NEW ACTIVE",
                "fail unchanged SUPPRESSED ACTIVE",
                "insufficientData unchanged NEW ACTIVE",
                "fail fixed RESOLVED ARCHIVED",
            ],
            Findings(requests).Select(f => $"{f.GetProperty("ProductFields").GetProperty("policy-engine/Outcome").GetString()} "
                + $"{f.GetProperty("ProductFields").GetProperty("policy-engine/BaselineStatus").GetString()} "
                + $"{f.GetProperty("Workflow").GetProperty("Status").GetString()} {f.GetProperty("RecordState").GetString()}").Order(StringComparer.Ordinal)
                .OrderBy(l => l.Contains("fixed", StringComparison.Ordinal)));

        // The earlier run imported the gone finding under this Id: the archived record must carry the same one.
        var earlier = RichReportFixture.Result() with { Findings = [RichReportFixture.Gone(result)] };
        var importedId = Findings(Requests(result: earlier)).Single().GetProperty("Id").GetString();
        var archived = Findings(requests).Single(f => f.GetProperty("RecordState").GetString() == "ARCHIVED");
        Assert.Equal(importedId, archived.GetProperty("Id").GetString());
        Assert.Equal(("FAILED", "INFORMATIONAL", "arn:aws:securityhub:ap-south-1:222222222222:product/222222222222/default", "AwsAccount"),
            (archived.GetProperty("Compliance").GetProperty("Status").GetString(), archived.GetProperty("Severity").GetProperty("Label").GetString(),
             archived.GetProperty("ProductArn").GetString(), archived.GetProperty("Resources")[0].GetProperty("Type").GetString()));
    }

    [Fact]
    public void A_fixed_finding_whose_subject_passes_now_is_archived_as_passed()
    {
        var result = RichReportFixture.Result();
        var passing = RichReportFixture.Gone(result) with { Outcome = Outcome.Pass, Message = "GuardDuty detector abc is enabled" };
        var now = result with { Findings = [.. result.Findings, passing] };
        var context = ReportFixture.Context() with { Baseline = PolicyEngine.Core.Reporting.Baselines.BaselineComparison.Compare(now.Findings, RichReportFixture.BaselineReport(result)) };
        var archived = Findings(JsonDocument.Parse(RichReportFixture.Render(Reporter, context, now)).RootElement)
            .Single(f => f.GetProperty("RecordState").GetString() == "ARCHIVED");
        Assert.Equal(("PASSED", "RESOLVED"), (archived.GetProperty("Compliance").GetProperty("Status").GetString(), archived.GetProperty("Workflow").GetProperty("Status").GetString()));
    }

    [Fact]
    public void A_fixed_finding_takes_the_outcome_of_its_own_rule_and_subject_only()
    {
        // A finding of another account that carries the same fingerprint (as a hand-edited or stale baseline can
        // make) is not the fixed finding's subject: the archived record keeps the baseline's outcome.
        var result = RichReportFixture.Result();
        var gone = RichReportFixture.Gone(result);
        var elsewhere = gone with { Outcome = Outcome.Pass, Subject = gone.Subject with { Account = "999999999999" }, Message = "GuardDuty detector abc is enabled" };
        var now = result with { Findings = [.. result.Findings, elsewhere] };
        var context = ReportFixture.Context() with { Baseline = PolicyEngine.Core.Reporting.Baselines.BaselineComparison.Compare(now.Findings, RichReportFixture.BaselineReport(result)) };
        var archived = Findings(JsonDocument.Parse(RichReportFixture.Render(Reporter, context, now)).RootElement)
            .Single(f => f.GetProperty("RecordState").GetString() == "ARCHIVED");
        Assert.Equal(("FAILED", "RESOLVED"), (archived.GetProperty("Compliance").GetProperty("Status").GetString(), archived.GetProperty("Workflow").GetProperty("Status").GetString()));
    }
}
