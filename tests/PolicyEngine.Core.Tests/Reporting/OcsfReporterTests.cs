using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Tests.Reporting;

public sealed class OcsfReporterTests
{
    private static readonly OcsfReporter Reporter = new();

    private static ReportContext Context(string version, bool includePassing = false) =>
        ReportFixture.Context(includePassing) with { OcsfVersion = version };

    private static List<JsonElement> Events(string version, bool includePassing = false) =>
        RichReportFixture.Text(RichReportFixture.Render(Reporter, Context(version, includePassing)))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    [Theory]
    [InlineData("1.1.0", false, "findings-1.1.0.ocsf.jsonl")]
    [InlineData("1.1.0", true, "findings-all-1.1.0.ocsf.jsonl")]
    [InlineData("1.8.0", true, "findings-all-1.8.0.ocsf.jsonl")]
    public void Output_matches_golden_file(string version, bool includePassing, string golden) =>
        Golden.AssertMatches(golden, RichReportFixture.Render(Reporter, Context(version, includePassing)));

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.8.0")]
    public void With_a_baseline_and_a_filter_events_say_their_status_and_fixed_findings_are_resolved_events(string version)
    {
        var result = RichReportFixture.Result();
        var context = Context(version) with { Baseline = RichReportFixture.Baseline(result), Filter = "severity low or above" };
        var bytes = RichReportFixture.Render(Reporter, context, result);
        if (version == "1.1.0")
        {
            Golden.AssertMatches("findings-baseline-1.1.0.ocsf.jsonl", bytes);
        }

        var events = RichReportFixture.Text(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var schema = OcsfSchema.Load(version);
        Assert.All(events, e => Assert.Empty(schema.Validate(e)));
        Assert.All(events, e => Assert.Equal("severity low or above", e.GetProperty("unmapped").GetProperty("report_filter").GetString()));
        Assert.Equal(["new 1", "unchanged 1", "unchanged 1", "unchanged 1", "unchanged 3", "unchanged 1", "fixed 4"],
            events.Select(e => $"{e.GetProperty("unmapped").GetProperty("baseline_status").GetString()} {e.GetProperty("status_id").GetInt32()}"));
        Assert.Equal("222222222222", events[^1].GetProperty("cloud").GetProperty("account").GetProperty("uid").GetString());
    }

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.8.0")]
    public void Output_is_deterministic_utf8_without_bom_with_lf_one_event_per_line(string version)
    {
        RichReportFixture.AssertDeterministicUtf8(Reporter, Context(version, includePassing: true));
        Assert.Equal(7, Events(version, includePassing: true).Count);
    }

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.8.0")]
    public void Every_event_is_a_valid_compliance_finding_of_its_ocsf_version(string version)
    {
        var schema = OcsfSchema.Load(version);
        foreach (var e in Events(version, includePassing: true))
        {
            Assert.Empty(schema.Validate(e));
        }
    }

    [Theory]
    [InlineData("1.1.0", "finding_info", "required attribute compliance_finding.finding_info is missing")]
    [InlineData("1.1.0", "time", "required attribute compliance_finding.time is missing")]
    [InlineData("1.8.0", "metadata.product", "required attribute metadata.product is missing")]
    [InlineData("1.8.0", "cloud.provider", "required attribute cloud.provider is missing")]
    public void The_schema_check_reports_a_missing_required_attribute(string version, string remove, string expected)
    {
        var node = JsonNode.Parse(Events(version)[0].GetRawText())!.AsObject();
        var parts = remove.Split('.');
        var parent = parts[..^1].Aggregate(node, (o, p) => o[p]!.AsObject());
        parent.Remove(parts[^1]);
        Assert.Contains(OcsfSchema.Load(version).Validate(JsonSerializer.SerializeToElement(node)), p => p.EndsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1.1.0", "severity_id", "7", "$.severity_id: 7 is not one of the enum's values")]
    [InlineData("1.1.0", "time", "\"2026-11-30\"", "$.time: \"2026-11-30\" is not a timestamp_t")]
    [InlineData("1.1.0", "severity", "\"Severe\"", "$.severity: 'Severe' is not the caption of severity_id 5 ('Critical')")]
    [InlineData("1.1.0", "colour", "\"red\"", "$.colour: compliance_finding has no attribute colour")]
    [InlineData("1.8.0", "resource", "{\"uid\": \"x\"}", "$.resource: compliance_finding.resource is deprecated in 1.8.0")]
    [InlineData("1.1.0", "resources", "[{\"uid\": \"x\"}]", "$.resources: compliance_finding has no attribute resources")]
    public void The_schema_check_reports_a_wrong_value(string version, string attribute, string json, string expected)
    {
        var node = JsonNode.Parse(Events(version)[0].GetRawText())!.AsObject();
        node[attribute] = JsonNode.Parse(json);
        Assert.Contains(OcsfSchema.Load(version).Validate(JsonSerializer.SerializeToElement(node)), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Outcomes_map_to_compliance_and_finding_status_and_not_applicable_is_left_out()
    {
        var events = Events("1.1.0", includePassing: true);
        var summary = events.Select(e =>
            $"{e.GetProperty("unmapped").GetProperty("outcome").GetString()} compliance={e.GetProperty("compliance").GetProperty("status_id").GetInt32()}:{e.GetProperty("compliance").GetProperty("status").GetString()} status={e.GetProperty("status").GetString()} severity={e.GetProperty("severity_id").GetInt32()}");
        Assert.Equal(
            [
                "fail compliance=3:Fail status=New severity=5",
                "error compliance=2:Warning status=New severity=4",
                "fail compliance=3:Fail status=New severity=4",
                "pass compliance=1:Pass status=Resolved severity=4",
                "insufficientData compliance=2:Warning status=New severity=4",
                "fail compliance=3:Fail status=Suppressed severity=2",
                "fail compliance=3:Fail status=New severity=3",
            ],
            summary);
        Assert.All(events, e => Assert.Equal(RichReportFixture.CollectedAt.ToUnixTimeMilliseconds(), e.GetProperty("time").GetInt64()));
        var insufficient = events[4].GetProperty("compliance");
        Assert.Equal("AccessDenied", insufficient.GetProperty("status_code").GetString());
        Assert.StartsWith("insufficientData: insufficient data: guardduty:ListDetectors", insufficient.GetProperty("status_detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_collection_time_events_carry_the_engines_clock_1970_not_the_wall_clock()
    {
        var result = RichReportFixture.Result() with { CollectedAt = null };
        var line = RichReportFixture.Text(RichReportFixture.Render(Reporter, Context("1.1.0"), result)).Split('\n')[0];
        Assert.Equal(0, JsonDocument.Parse(line).RootElement.GetProperty("time").GetInt64());
    }

    [Fact]
    public void An_unknown_version_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RichReportFixture.Render(Reporter, Context("1.2.0")));
        Assert.Contains("OCSF version '1.2.0' is not one of 1.1.0, 1.8.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_finding_uid_is_stable_and_names_the_rule()
    {
        var finding = RichReportFixture.Result().Findings[0];
        Assert.Equal("policy-engine/SRA-CLOUDTRAIL-01/" + SarifReporter.Fingerprint(finding), OcsfReporter.FindingUid(finding));
        Assert.Equal(OcsfReporter.FindingUid(finding), OcsfReporter.FindingUid(finding with { Message = "reworded", Line = 99 }));
        Assert.Equal(1, OcsfReporter.SeverityId(PolicyEngine.Core.Rules.RuleSeverity.Informational));
        Assert.Equal(2, OcsfReporter.ComplianceStatusId(Outcome.Error));
    }
}
