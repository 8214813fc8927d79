using System.Text;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Tests.Diagnostics;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class BaselineTests
{
    private static byte[] Json(EvaluationResult result, ReportContext? context = null)
    {
        using var stream = new MemoryStream();
        new JsonReporter().Write(result, context ?? ReportFixture.Context(), stream);
        return stream.ToArray();
    }

    private static ReportedFindings Read(byte[] json)
    {
        var diagnostics = new List<Diagnostic>();
        var report = ReportedFindings.Parse("baseline.json", json, diagnostics);
        Assert.Empty(diagnostics);
        return report!;
    }

    [Fact]
    public void The_fingerprint_hashes_rule_account_region_resource_and_path_only()
    {
        var fingerprint = FindingFingerprint.Compute("SRA-GUARDDUTY-01", "111111111111", "us-east-1", "r", "$['evidence'][x]");
        Assert.Matches("^[0-9a-f]{32}$", fingerprint);
        Assert.Equal(fingerprint, FindingFingerprint.Compute("SRA-GUARDDUTY-01", "111111111111", "us-east-1", "r", "$['evidence'][x]"));
        Assert.NotEqual(fingerprint, FindingFingerprint.Compute("SRA-GUARDDUTY-02", "111111111111", "us-east-1", "r", "$['evidence'][x]"));
        Assert.NotEqual(fingerprint, FindingFingerprint.Compute("SRA-GUARDDUTY-01", "111111111112", "us-east-1", "r", "$['evidence'][x]"));
        Assert.NotEqual(fingerprint, FindingFingerprint.Compute("SRA-GUARDDUTY-01", "111111111111", "us-east-2", "r", "$['evidence'][x]"));
        Assert.NotEqual(fingerprint, FindingFingerprint.Compute("SRA-GUARDDUTY-01", "111111111111", "us-east-1", "s", "$['evidence'][x]"));
        Assert.NotEqual(fingerprint, FindingFingerprint.Compute("SRA-GUARDDUTY-01", "111111111111", "us-east-1", "r", "$['evidence'][y]"));
        // Parts are separated: moving text from one part to the next is another fingerprint.
        Assert.NotEqual(FindingFingerprint.Compute("A", "1", "2", null, string.Empty), FindingFingerprint.Compute("A", "12", null, null, string.Empty));
    }

    [Fact]
    public void The_fingerprint_does_not_change_with_message_severity_outcome_or_position()
    {
        var result = ReportFixture.Result();
        var finding = result.Findings[2];
        var reworded = finding with { Message = "something else", Line = 999, Column = 3, Severity = RuleSeverity.Low, Rule = finding.Rule with { Title = "Reworded", MessageFormat = "x" } };
        var rewritten = new EvaluationResult("snapshot.json", result.Rules, [reworded]);
        var baseline = Read(Json(new EvaluationResult("snapshot.json", result.Rules, [finding])));
        var comparison = BaselineComparison.Compare(rewritten.Findings, baseline);
        Assert.Equal(BaselineStatus.Unchanged, comparison.StatusOf(reworded));
        Assert.Empty(comparison.Fixed);
    }

    [Fact]
    public void Findings_are_new_unchanged_or_fixed_and_passes_have_no_status()
    {
        var result = ReportFixture.Result();
        // The baseline had every finding but the critical CloudTrail one, and one that is gone now.
        var gone = result.Findings[2] with
        {
            Subject = result.Findings[2].Subject with { Region = "ap-south-1" },
            Fingerprint = FindingFingerprint.Compute("SRA-GUARDDUTY-01", "222222222222", "ap-south-1", "x", string.Empty),
            Message = "GuardDuty has no detector in 222222222222 ap-south-1",
        };
        var before = new EvaluationResult("snapshot.json", result.Rules, [.. result.Findings.Skip(1), gone]);
        var comparison = BaselineComparison.Compare(result.Findings, Read(Json(before)));

        Assert.Equal(BaselineStatus.New, comparison.StatusOf(result.Findings[0]));
        Assert.Equal(BaselineStatus.Unchanged, comparison.StatusOf(result.Findings[2]));
        Assert.Null(comparison.StatusOf(result.Findings[3])); // pass
        Assert.Equal(1, comparison.New);
        Assert.Equal(5, comparison.Unchanged);
        var only = Assert.Single(comparison.Fixed);
        Assert.Equal("GuardDuty has no detector in 222222222222 ap-south-1", only.Message);
        Assert.Equal(Outcome.Fail, only.Outcome);
        Assert.Equal(RuleSeverity.High, only.Severity);
    }

    [Fact]
    public void A_fingerprint_held_twice_is_compared_as_a_multiset()
    {
        var result = ReportFixture.Result();
        var twice = result.Findings[2];
        var copy = twice with { Message = "second element" };
        var now = new EvaluationResult("snapshot.json", result.Rules, [twice, copy, copy with { Message = "third" }]);
        var comparison = BaselineComparison.Compare(now.Findings, Read(Json(new EvaluationResult("snapshot.json", result.Rules, [twice, copy]))));
        Assert.Equal([BaselineStatus.Unchanged, BaselineStatus.Unchanged, BaselineStatus.New], now.Findings.Select(f => comparison.StatusOf(f)!.Value));
        Assert.Empty(comparison.Fixed);

        var fewer = BaselineComparison.Compare([twice], Read(Json(now)));
        Assert.Equal(BaselineStatus.Unchanged, fewer.StatusOf(twice));
        Assert.Equal(["second element", "third"], fewer.Fixed.Select(f => f.Message));
    }

    [Fact]
    public void The_json_report_with_a_baseline_matches_its_golden_file_and_the_schema()
    {
        var result = ReportFixture.Result();
        var gone = result.Findings[2] with
        {
            Subject = result.Findings[2].Subject with { Region = "ap-south-1", OuPath = "Root/Prod" },
            Fingerprint = FindingFingerprint.Compute("SRA-GUARDDUTY-01", "222222222222", "ap-south-1", "x", string.Empty),
            Message = "GuardDuty has no detector in 222222222222 ap-south-1",
        };
        var baseline = Read(Json(new EvaluationResult("snapshot.json", result.Rules, [.. result.Findings.Skip(1), gone])));
        var context = ReportFixture.Context() with { Baseline = BaselineComparison.Compare(result.Findings, baseline) };
        var bytes = Json(result, context);
        Golden.AssertMatches("findings-baseline.json", bytes);
        SchemaValidation.AssertValid(SchemaValidation.Findings, bytes);
    }

    [Fact]
    public void A_report_reads_back_what_the_json_reporter_wrote()
    {
        var result = ReportFixture.Result();
        var report = Read(Json(result));
        Assert.Equal(result.Findings.Where(f => ReportWriting.NeedsAttention(f.Outcome)).Select(f => f.Fingerprint), report.Findings.Select(f => f.Fingerprint));
        var suppressed = Assert.Single(report.Findings, f => f.Suppressed);
        Assert.Equal("arn:aws:s3:::access-logs", suppressed.Resource);
        Assert.Equal("Root/Security", suppressed.OuPath);
    }

    [Fact]
    [Covers(DiagnosticCodes.ReportUnreadable)]
    public void A_baseline_that_is_not_json_or_missing_is_PE9001_at_its_position()
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(ReportedFindings.Parse("old.json", Encoding.UTF8.GetBytes("{\n  \"findings\": [\n    oops\n"), diagnostics));
        Assert.Equal("old.json:3:5: error PE9001: The report is not valid JSON; give a report written with --format json.", Assert.Single(diagnostics).ToString());

        diagnostics.Clear();
        var missing = Path.Combine(Path.GetTempPath(), "policy-engine-no-such-" + Guid.NewGuid().ToString("N") + ".json");
        Assert.Null(ReportedFindings.Load(missing, diagnostics));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.ReportUnreadable, diagnostic.Code);
        Assert.Equal(missing, diagnostic.Location.File);
        Assert.StartsWith("Cannot read the report: Could not find file", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Covers(DiagnosticCodes.ReportNotFindings)]
    public void A_baseline_that_is_another_json_file_is_PE9002()
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(ReportedFindings.Parse("snapshot.json", Encoding.UTF8.GetBytes("{\"formatVersion\": \"1.0\", \"evidence\": []}"), diagnostics));
        Assert.Equal(
            "snapshot.json:1:1: error PE9002: The file is not a PolicyEngine findings report (a JSON object with \"$schema\": "
            + "\"https://policyengine.dev/schemas/findings.schema.json\" and a \"findings\" array); give a report written with --format json.",
            Assert.Single(diagnostics).ToString());
    }

    [Fact]
    [Covers(DiagnosticCodes.ReportWithoutFingerprints)]
    public void A_report_without_fingerprints_is_PE9003_naming_the_finding()
    {
        var text = Encoding.UTF8.GetString(Json(ReportFixture.Result()));
        var old = string.Join('\n', text.Split('\n').Where(l => !l.Contains("\"fingerprint\"", StringComparison.Ordinal)));
        var diagnostics = new List<Diagnostic>();
        Assert.Null(ReportedFindings.Parse("old.json", Encoding.UTF8.GetBytes(old), diagnostics));
        Assert.Equal(
            "old.json: error PE9003: Finding 0 of the report ($['findings'][0]) has no valid 'fingerprint', 'ruleId', 'outcome' or 'severity': the report was written "
            + "by an older version or edited. Evaluate the earlier snapshot again with this version, with --format json, to make a baseline.",
            Assert.Single(diagnostics).ToString());
    }

    [Fact]
    public void Fingerprints_replace_record_positions_by_identities_and_other_indexes_by_a_star()
    {
        using var snapshot = TestKit.Snapshot("""
            {"formatVersion": "1.0", "metadata": {"collectedAt": "2026-01-01T00:00:00Z"},
             "organization": {"accounts": [{"Id": "111111111111", "Name": "m", "Status": "ACTIVE", "OuPath": "Root"}]},
             "evidence": [
               {"service": "guardduty", "operation": "ListDetectors", "account": "111111111111", "region": "us-east-1", "parameters": {}, "status": "ok", "response": {"DetectorIds": []}},
               {"service": "guardduty", "operation": "GetDetector", "account": "111111111111", "region": "us-east-1", "parameters": {"DetectorId": "d1"}, "status": "ok", "response": {"Features": [{"Name": "S3"}]}}
             ]}
            """);
        var fingerprints = FindingFingerprint.For(snapshot);
        var evidence = NormalizedPath.Root.Append("evidence");
        Assert.Equal("$['evidence'][guardduty:GetDetector@111111111111/us-east-1{DetectorId=d1}]['response']['Features'][*]['Name']",
            fingerprints.NormalizePath(evidence.Append(1).Append("response").Append("Features").Append(0).Append("Name")));
        Assert.Equal("$['evidence'][guardduty:ListDetectors@111111111111/us-east-1]", fingerprints.NormalizePath(evidence.Append(0)));
        Assert.Equal("$['organization']['accounts'][111111111111]['OuPath']",
            fingerprints.NormalizePath(NormalizedPath.Root.Append("organization").Append("accounts").Append(0).Append("OuPath")));
        Assert.Equal(string.Empty, fingerprints.NormalizePath(null));
        // An index past the records, or the same index in another array, is no record's.
        Assert.Equal("$['evidence'][*]", fingerprints.NormalizePath(evidence.Append(2)));
        Assert.Equal("$['other'][*]['evidence'][*]", fingerprints.NormalizePath(NormalizedPath.Root.Append("other").Append(1).Append("evidence").Append(1)));
    }
}
