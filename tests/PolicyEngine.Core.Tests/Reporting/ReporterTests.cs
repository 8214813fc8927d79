using System.Text;
using System.Text.Json;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class ReporterTests
{
    public static TheoryData<string, string, bool, bool> GoldenCases() => new()
    {
        { "console", "console.txt", false, false },
        { "console", "console-all.txt", true, false },
        { "console", "console-color.txt", false, true },
        { "json", "findings.json", false, false },
        { "json", "findings-all.json", true, false },
        { "sarif", "findings.sarif", false, false },
        { "sarif", "findings-all.sarif", true, false },
        { "sra-verify-csv", "sra-verify.csv", false, false },
        { "sra-verify-csv", "sra-verify-all.csv", true, false },
    };

    private static byte[] Render(string format, ReportContext context, EvaluationResult? result = null)
    {
        var reporter = FindingsReporters.Find(format) ?? throw new InvalidOperationException(format);
        using var stream = new MemoryStream();
        reporter.Write(result ?? ReportFixture.Result(), context, stream);
        return stream.ToArray();
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Output_matches_golden_file(string format, string golden, bool includePassing, bool useColor)
    {
        var bytes = Render(format, ReportFixture.Context(includePassing, useColor));
        Golden.AssertMatches(golden, bytes);
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Output_is_deterministic_utf8_without_bom_with_lf(string format, string golden, bool includePassing, bool useColor)
    {
        _ = golden;
        var context = ReportFixture.Context(includePassing, useColor);
        var first = Render(format, context);
        var second = Render(format, context);
        Assert.Equal(first, second);
        Assert.False(first.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        Assert.DoesNotContain((byte)'\r', first);
        Assert.Equal((byte)'\n', first[^1]);
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(first);
    }

    [Fact]
    public void Sarif_diagnostics_match_golden_file_and_validate()
    {
        using var stream = new MemoryStream();
        SarifReporter.WriteDiagnostics(ReportFixture.Diagnostics(), ReportFixture.Context(), stream);
        var bytes = stream.ToArray();
        Golden.AssertMatches("diagnostics.sarif", bytes);
        SchemaValidation.AssertValid(SchemaValidation.Sarif, bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sarif_is_valid_against_the_official_schema(bool includePassing)
    {
        SchemaValidation.AssertValid(SchemaValidation.Sarif, Render("sarif", ReportFixture.Context(includePassing)));
    }

    [Fact]
    public void Sarif_schema_check_rejects_an_invalid_log()
    {
        // Guards against a validator that accepts everything (e.g. a schema that failed to load as intended).
        var bytes = Encoding.UTF8.GetBytes("""{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"kind": "broken", "message": {"text": "x"}}]}]}""");
        using var json = JsonDocument.Parse(bytes);
        var results = SchemaValidation.Sarif.Evaluate(json.RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.False(results.IsValid);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Json_is_valid_against_findings_schema(bool includePassing)
    {
        SchemaValidation.AssertValid(SchemaValidation.Findings, Render("json", ReportFixture.Context(includePassing)));
    }

    [Fact]
    public void Findings_schema_rejects_a_null_and_an_unknown_outcome()
    {
        var bytes = Render("json", ReportFixture.Context());
        var text = Text(bytes);
        foreach (var broken in new[]
        {
            text.Replace("\"code\": \"PE3002\"", "\"code\": null", StringComparison.Ordinal),
            text.Replace("\"outcome\": \"error\"", "\"outcome\": \"broken\"", StringComparison.Ordinal),
        })
        {
            Assert.NotEqual(text, broken);
            using var json = JsonDocument.Parse(broken);
            Assert.False(SchemaValidation.Findings.Evaluate(json.RootElement).IsValid);
        }
    }

    [Fact]
    public void Sarif_results_map_outcomes_to_kind_and_level()
    {
        using var json = JsonDocument.Parse(Render("sarif", ReportFixture.Context(includePassing: true)));
        var run = json.RootElement.GetProperty("runs")[0];
        Assert.Equal("utf16CodeUnits", run.GetProperty("columnKind").GetString());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(["SRA-CLOUDTRAIL-01", "SRA-GUARDDUTY-01", "SRA-IAM-01", "SRA-S3-02"], rules);

        var results = run.GetProperty("results").EnumerateArray().ToArray();
        var summary = results.Select(r => (
            r.GetProperty("ruleId").GetString(),
            r.GetProperty("ruleIndex").GetInt32(),
            r.GetProperty("kind").GetString(),
            r.GetProperty("level").GetString(),
            r.TryGetProperty("suppressions", out _))).ToArray();
        Assert.Equal(
        [
            ("SRA-CLOUDTRAIL-01", 0, "fail", "error", false),
            ("SRA-GUARDDUTY-01", 1, "open", "none", false),
            ("SRA-GUARDDUTY-01", 1, "fail", "error", false),
            ("SRA-GUARDDUTY-01", 1, "pass", "none", false),
            ("SRA-GUARDDUTY-01", 1, "open", "none", false),
            ("SRA-S3-02", 3, "fail", "note", true),
            ("SRA-S3-02", 3, "fail", "warning", false),
            ("SRA-S3-02", 3, "notApplicable", "none", false),
        ], summary);

        // The error finding has no line: an artifact location without a region.
        var physical = results[1].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.False(physical.TryGetProperty("region", out _));
        var region = results[2].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal((123, 9), (region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32()));
    }

    [Fact]
    public void Sarif_default_omits_pass_and_not_applicable()
    {
        using var json = JsonDocument.Parse(Render("sarif", ReportFixture.Context()));
        var kinds = json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r => r.GetProperty("kind").GetString()!);
        Assert.Equal(["fail", "open", "fail", "open", "fail", "fail"], kinds);
    }

    [Fact]
    public void Fingerprint_depends_on_rule_and_subject_only()
    {
        var finding = ReportFixture.Result().Findings[2];
        var moved = finding with { Line = 999, Column = 1, Message = "reworded" };
        var otherRegion = finding with { Subject = finding.Subject with { Region = "eu-west-1" } };
        Assert.Equal(SarifReporter.Fingerprint(finding), SarifReporter.Fingerprint(moved));
        Assert.NotEqual(SarifReporter.Fingerprint(finding), SarifReporter.Fingerprint(otherRegion));
        Assert.Equal(64, SarifReporter.Fingerprint(finding).Length);
    }

    [Theory]
    [InlineData(RuleSeverity.Critical, "error", "9.5")]
    [InlineData(RuleSeverity.High, "error", "8.0")]
    [InlineData(RuleSeverity.Medium, "warning", "5.5")]
    [InlineData(RuleSeverity.Low, "note", "3.0")]
    [InlineData(RuleSeverity.Informational, "note", "0.0")]
    public void Severity_maps_to_sarif_level_and_security_severity(RuleSeverity severity, string level, string securitySeverity)
    {
        Assert.Equal(level, SarifReporter.Level(severity));
        Assert.Equal(securitySeverity, SarifReporter.SecuritySeverity(severity));
    }

    [Theory]
    [InlineData("snapshot.json", "snapshot.json")]
    [InlineData(@"out\my snapshot.json", "out/my%20snapshot.json")]
    [InlineData("/srv/data/s.json", "file:///srv/data/s.json")]
    [InlineData(@"C:\work\s.json", "file:///C:/work/s.json")]
    public void Snapshot_path_becomes_a_uri_reference(string path, string uri)
    {
        Assert.Equal(uri, SarifReporter.ToUri(path));
    }

    [Theory]
    [InlineData("GuardDuty detector enabled", "GuardDutyDetectorEnabled")]
    [InlineData("S3 buckets block public-access", "S3BucketsBlockPublicAccess")]
    [InlineData("", "SRA01")]
    [InlineData("2 regions", "Rule2Regions")]
    public void Rule_name_is_pascal_case(string title, string name)
    {
        var rule = ReportFixture.Iam with { Id = "SRA-01", Title = title };
        Assert.Equal(name, SarifReporter.PascalName(rule));
    }

    [Fact]
    public void Csv_has_sra_verify_columns_and_maps_status()
    {
        var lines = Text(Render("sra-verify-csv", ReportFixture.Context(includePassing: true))).Split('\n');
        Assert.Equal("AccountId,AccountName,Region,CheckId,Status,Severity,Title,Description,ResourceId,ResourceType,CheckedValue,ActualValue,Remediation,Service,CheckLogic,AccountType", lines[0]);
        var result = ReportFixture.Result();
        var rows = result.Findings.Select(SraVerifyCsvReporter.Row).ToArray();
        Assert.All(rows, r => Assert.Equal(16, r.Count));
        Assert.Equal(["FAIL", "ERROR", "FAIL", "PASS", "ERROR", "FAIL", "FAIL", "N/A"], rows.Select(r => r[4]));
        Assert.StartsWith("INSUFFICIENT_DATA: ", rows[4][11], StringComparison.Ordinal);
        Assert.Equal(["SRA-CT-1", "SRA-GD-1", "SRA-S3-02"], rows.Select(r => r[3]).Distinct());
        Assert.Equal(["management", "application", "log-archive"], rows.Select(r => r[15]).Distinct());
        Assert.Equal("SRA-CLOUDTRAIL-01 Organization trail is enabled", rows[0][6]);
        Assert.Equal(["AWS::Organizations::Organization", "AWS::Account", "AWS::S3"], rows.Select(r => r[9]).Distinct());
        Assert.Equal(["CRITICAL", "HIGH", "LOW", "MEDIUM"], rows.Select(r => r[5]).Distinct());
    }

    [Fact]
    public void Csv_default_omits_pass_and_not_applicable_rows()
    {
        var text = Text(Render("sra-verify-csv", ReportFixture.Context()));
        Assert.DoesNotContain(",PASS,", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",N/A,", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\r", "\"cr\r\"")]
    [InlineData("", "")]
    public void Csv_quotes_per_rfc_4180(string field, string quoted)
    {
        Assert.Equal(quoted, SraVerifyCsvReporter.Quote(field));
    }

    [Theory]
    [InlineData(new string[0], "application")]
    [InlineData(new[] { "management" }, "management")]
    [InlineData(new[] { "securityTooling" }, "audit")]
    [InlineData(new[] { "logArchive" }, "log-archive")]
    [InlineData(new[] { "network" }, "application")]
    [InlineData(new[] { "network", "securityTooling" }, "audit")]
    public void Account_scope_maps_to_sra_verify_account_type(string[] scope, string accountType)
    {
        Assert.Equal(accountType, SraVerifyCsvReporter.AccountType(scope));
    }

    [Fact]
    public void Console_without_color_has_no_escape_and_neutralises_control_characters()
    {
        var text = Text(Render("console", ReportFixture.Context(includePassing: true)));
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains(@"arn:aws:s3:::odd\u001b[31mname", text, StringComparison.Ordinal);
        Assert.Contains("[HIGH] SRA-GUARDDUTY-01 GuardDuty detector enabled (1):\n   222222222222 us-east-1: GuardDuty has no detector in 222222222222 us-east-1\n      at out/snapshot.json:123:9 ($['evidence'][4]['response']['DetectorIds'])\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Console_with_color_colours_only_its_own_styles()
    {
        var text = Text(Render("console", ReportFixture.Context(useColor: true)));
        Assert.Contains("\u001b[31m[HIGH]\u001b[0m", text, StringComparison.Ordinal);
        Assert.DoesNotContain("odd\u001b[31m", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Console_text_writer_overload_matches_stream_output()
    {
        using var writer = new StringWriter { NewLine = "\r\n" };
        ConsoleReporter.WriteText(ReportFixture.Result(), ReportFixture.Context(), writer);
        Assert.Equal(Text(Render("console", ReportFixture.Context())), writer.ToString());
    }

    [Fact]
    public void Summary_counts_every_finding()
    {
        var summary = ReportSummary.From(ReportFixture.Result());
        Assert.Equal((8, 1, 4), (summary.Total, summary.Suppressed, summary.Rules));
        Assert.Equal([3, 1, 1, 1, 1], ReportSummary.OutcomeOrder.Select(o => o == Outcome.Fail ? summary.Count(o) - 1 : summary.Count(o)));
        Assert.Equal([1, 1, 1, 0, 0], ReportSummary.SeverityOrder.Select(summary.Failures));
        Assert.Equal(["CloudTrail", "GuardDuty", "IAM", "S3"], summary.Categories);
        Assert.Equal(0, summary.Count("IAM", Outcome.Fail));
    }

    [Fact]
    public void Reporters_are_found_by_format_word()
    {
        Assert.Equal(["console", "json", "sarif", "sra-verify-csv", "html", "ocsf", "asff", "markdown", "junit"], FindingsReporters.Formats);
        Assert.IsType<SarifReporter>(FindingsReporters.Find("sarif"));
        Assert.Null(FindingsReporters.Find("SARIF"));
    }

    [Fact]
    public void Context_snapshot_path_defaults_to_the_result()
    {
        var context = ReportFixture.Context() with { SnapshotPath = null };
        using var json = JsonDocument.Parse(Render("json", context));
        Assert.Equal("snapshot.json", json.RootElement.GetProperty("snapshot").GetString());
        Assert.False(string.IsNullOrEmpty(ReportContext.DefaultToolVersion));
    }

    [Fact]
    public void Empty_result_writes_valid_reports()
    {
        var empty = new EvaluationResult("s.json", [], []);
        SchemaValidation.AssertValid(SchemaValidation.Sarif, Render("sarif", ReportFixture.Context(), empty));
        SchemaValidation.AssertValid(SchemaValidation.Findings, Render("json", ReportFixture.Context(), empty));
        Assert.Equal(string.Join(',', SraVerifyCsvReporter.Columns) + "\n", Text(Render("sra-verify-csv", ReportFixture.Context(), empty)));
        Assert.EndsWith("No unsuppressed failing findings.\n", Text(Render("console", ReportFixture.Context(), empty)), StringComparison.Ordinal);
    }

    [Fact]
    public void Console_summary_agrees_in_number_with_one_finding()
    {
        var full = ReportFixture.Result();
        var one = full with { Findings = [full.Findings.First(f => f.Outcome == Outcome.Fail)] };
        var text = Text(Render("console", ReportFixture.Context(), one));
        Assert.Contains(": 1 finding from ", text, StringComparison.Ordinal);
        Assert.EndsWith("\n1 unsuppressed finding needs attention.\n", text, StringComparison.Ordinal);
    }
}
