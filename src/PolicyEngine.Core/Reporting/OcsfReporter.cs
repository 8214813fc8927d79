using System.Text.Json;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// OCSF Compliance Finding events (class_uid 2003, category Findings) as JSON Lines: one event per listed finding,
/// one line each, for an Amazon Security Lake custom source (which stores them as Parquet: see docs/reports.md).
/// The OCSF version is <see cref="ReportContext.OcsfVersion"/>: 1.1.0 (the default) or 1.8.0; the two differ only in
/// in what 1.8.0 deprecates: the resource (1.1.0 <c>resource</c>, 1.8.0 <c>resources[]</c>) and the compliance detail
/// (1.1.0 <c>status_detail</c>, 1.8.0 <c>status_details[]</c>).
/// <list type="bullet">
/// <item><c>compliance.status_id</c>: Pass → 1 Pass, Fail → 3 Fail, InsufficientData and Error → 2 Warning (the check
/// could not decide: never a pass), with the reason in <c>status_detail(s)</c> and the code in <c>status_code</c>.
/// NotApplicable findings are not compliance results and are never written.</item>
/// <item>Finding <c>status_id</c>: 1 New, 3 Suppressed for a suppressed finding, 4 Resolved for a Pass. A suppressed
/// finding's <c>comment</c> is its justification and owner.</item>
/// <item>With a baseline, <c>unmapped.baseline_status</c> says new or unchanged, and each fixed finding (in the
/// baseline, absent now) is one more event with <c>status_id</c> 4 Resolved and <c>baseline_status</c> fixed, after
/// the others. With report filters, <c>unmapped.report_filter</c> says which.</item>
/// <item><c>severity_id</c>: the effective severity, Informational 1 … Critical 5.</item>
/// <item><c>time</c>: the snapshot's <c>metadata.collectedAt</c> in epoch milliseconds (1970-01-01 without one, as
/// the engine's clock), never the wall clock, so the same input gives the same bytes.</item>
/// <item><c>finding_info.uid</c>: <c>policy-engine/RULE-ID/FINGERPRINT</c>, stable across runs.</item>
/// </list>
/// </summary>
public sealed class OcsfReporter : IFindingsReporter
{
    /// <summary>The OCSF versions this reporter writes, the default first.</summary>
    public static IReadOnlyList<string> Versions { get; } = ["1.1.0", "1.8.0"];

    /// <summary>The Compliance Finding class: category 2 (Findings) × 1000 + 3.</summary>
    public const int ClassUid = 2003;

    /// <summary>The standard every rule of the shipped pack measures against.</summary>
    public const string Standard = "AWS Security Reference Architecture";

    /// <inheritdoc/>
    public string Format => "ocsf";

    /// <inheritdoc/>
    public string FileExtension => ".ocsf.jsonl";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var version = context.OcsfVersion;
        if (!Versions.Contains(version, StringComparer.Ordinal))
        {
            throw new ArgumentException($"OCSF version '{version}' is not one of {string.Join(", ", Versions)}.", nameof(context));
        }

        var time = ReportWriting.CollectedAt(result).ToUnixTimeMilliseconds();
        var options = ReportWriting.JsonOptions with { Indented = false };
        var current = ReportWriting.Listed(result, context).Where(f => f.Outcome != Outcome.NotApplicable)
            .Select(f => (Finding: f, Status: context.Baseline?.StatusOf(f)));
        var fixedFindings = ReportWriting.FixedFindings(context.Baseline?.Fixed ?? [], result).Select(f => (Finding: f, Status: (BaselineStatus?)BaselineStatus.Fixed));
        foreach (var (finding, status) in current.Concat(fixedFindings))
        {
            using (var writer = new Utf8JsonWriter(output, options))
            {
                WriteEvent(writer, finding, context, version, time, status);
                writer.Flush();
            }

            output.WriteByte((byte)'\n');
        }

        output.Flush();
    }

    /// <summary>OCSF's <c>severity_id</c> of a severity (1 Informational … 5 Critical).</summary>
    public static int SeverityId(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical => 5,
        RuleSeverity.High => 4,
        RuleSeverity.Medium => 3,
        RuleSeverity.Low => 2,
        _ => 1,
    };

    /// <summary>The <c>compliance.status_id</c> of an outcome (1 Pass, 2 Warning, 3 Fail).</summary>
    public static int ComplianceStatusId(Outcome outcome) => outcome switch
    {
        Outcome.Pass => 1,
        Outcome.Fail => 3,
        _ => 2,
    };

    private static void WriteEvent(Utf8JsonWriter writer, Finding finding, ReportContext context, string version, long time, BaselineStatus? baseline)
    {
        var rule = finding.Rule;
        var subject = finding.Subject;
        const int activityId = 1;
        writer.WriteStartObject();
        writer.WriteNumber("activity_id", activityId);
        writer.WriteString("activity_name", "Create");
        writer.WriteNumber("category_uid", 2);
        writer.WriteString("category_name", "Findings");
        writer.WriteNumber("class_uid", ClassUid);
        writer.WriteString("class_name", "Compliance Finding");
        writer.WriteNumber("type_uid", (ClassUid * 100) + activityId);
        writer.WriteString("type_name", "Compliance Finding: Create");
        writer.WriteNumber("time", time);
        writer.WriteNumber("severity_id", SeverityId(finding.Severity));
        writer.WriteString("severity", SeverityCaption(finding.Severity));
        var (statusId, status) = baseline == BaselineStatus.Fixed ? (4, "Resolved")
            : finding.Suppression is not null ? (3, "Suppressed") : finding.Outcome == Outcome.Pass ? (4, "Resolved") : (1, "New");
        writer.WriteNumber("status_id", statusId);
        writer.WriteString("status", status);
        if (finding.Suppression is { } accepted)
        {
            // The finding class's "user provided comment": why the finding is accepted, and by whom.
            writer.WriteString("comment", accepted.Owner is { } owner ? $"{accepted.Justification} (owner {owner})" : accepted.Justification);
        }

        writer.WriteString("message", finding.Message);

        writer.WriteStartObject("metadata");
        writer.WriteString("version", version);
        writer.WriteStartObject("product");
        writer.WriteString("name", context.ToolName);
        writer.WriteString("vendor_name", "PolicyEngine");
        writer.WriteString("version", context.ToolVersion);
        writer.WriteEndObject();
        writer.WriteStartArray("profiles");
        writer.WriteStringValue("cloud");
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartObject("cloud");
        writer.WriteString("provider", "AWS");
        if (RealRegion(subject.Region) is { } region)
        {
            writer.WriteString("region", region);
        }

        if (subject.Account is { } account)
        {
            writer.WriteStartObject("account");
            writer.WriteString("uid", account);
            writer.WriteOptional("name", subject.AccountName);
            writer.WriteString("type", "AWS Account");
            writer.WriteNumber("type_id", 10);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        writer.WriteStartObject("finding_info");
        writer.WriteString("uid", FindingUid(finding));
        writer.WriteString("title", rule.Title.Length > 0 ? rule.Title : rule.Id);
        if (rule.Description.Length > 0)
        {
            writer.WriteString("desc", rule.Description);
        }

        writer.WriteStartArray("types");
        writer.WriteStringValue(rule.Category);
        writer.WriteEndArray();
        writer.WriteOptional("src_url", rule.HelpUri);
        writer.WriteStartObject("analytic");
        writer.WriteString("uid", rule.Id);
        writer.WriteString("name", rule.Title.Length > 0 ? rule.Title : rule.Id);
        writer.WriteString("type", "Rule");
        writer.WriteNumber("type_id", 1);
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("compliance");
        writer.WriteString("control", rule.Id);
        writer.WriteStartArray("standards");
        writer.WriteStringValue(Standard);
        writer.WriteEndArray();
        if (rule.SraVerifyCheck is { } check)
        {
            writer.WriteStartArray("requirements");
            writer.WriteStringValue(check);
            writer.WriteEndArray();
        }

        var complianceId = ComplianceStatusId(finding.Outcome);
        writer.WriteNumber("status_id", complianceId);
        writer.WriteString("status", complianceId switch { 1 => "Pass", 3 => "Fail", _ => "Warning" });
        writer.WriteOptional("status_code", finding.Code);
        if (finding.Outcome is Outcome.InsufficientData or Outcome.Error)
        {
            // 1.8.0 deprecates status_detail for the status_details list.
            var detail = $"{finding.Outcome.ToName()}: {finding.Message}";
            if (version == "1.1.0")
            {
                writer.WriteString("status_detail", detail);
            }
            else
            {
                writer.WriteStartArray("status_details");
                writer.WriteStringValue(detail);
                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();

        if (rule.Remediation.Length > 0)
        {
            writer.WriteStartObject("remediation");
            writer.WriteString("desc", rule.Remediation);
            var references = (rule.HelpUri is null ? rule.Links : rule.Links.Prepend(rule.HelpUri)).Distinct(StringComparer.Ordinal).ToList();
            if (references.Count > 0)
            {
                writer.WriteStartArray("references");
                foreach (var reference in references)
                {
                    writer.WriteStringValue(reference);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (version == "1.1.0")
        {
            writer.WritePropertyName("resource");
            WriteResource(writer, subject);
        }
        else
        {
            writer.WriteStartArray("resources");
            WriteResource(writer, subject);
            writer.WriteEndArray();
        }

        // What OCSF has no attribute for: the engine's own outcome (Warning covers two), where in the snapshot the
        // finding points, the OU path and the suppression's justification and owner.
        writer.WriteStartObject("unmapped");
        writer.WriteString("outcome", finding.Outcome.ToName());
        writer.WriteString("subject_kind", subject.Kind.ToName());
        writer.WriteOptional("ou_path", subject.OuPath);
        writer.WriteOptional("path", finding.Path?.ToString());
        writer.WriteOptional("baseline_status", baseline?.ToName());
        writer.WriteOptional("report_filter", context.Filter);
        if (finding.Suppression is { } suppression)
        {
            writer.WriteString("suppression_justification", suppression.Justification);
            writer.WriteString("suppression_source", suppression.Source);
            writer.WriteOptional("suppression_owner", suppression.Owner);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter writer, FindingSubject subject)
    {
        writer.WriteStartObject();
        writer.WriteString("uid", subject.Resource ?? subject.Account ?? "organization");
        writer.WriteString("type", SraVerifyCsvReporter.ResourceType(subject));
        writer.WriteString("cloud_partition", "aws");
        if (RealRegion(subject.Region) is { } region)
        {
            writer.WriteString("region", region);
        }

        writer.WriteEndObject();
    }

    /// <summary>The finding's stable id: <c>policy-engine/RULE-ID/FINGERPRINT</c>.</summary>
    public static string FindingUid(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return $"policy-engine/{finding.Rule.Id}/{SarifReporter.Fingerprint(finding)}";
    }

    private static string SeverityCaption(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical => "Critical",
        RuleSeverity.High => "High",
        RuleSeverity.Medium => "Medium",
        RuleSeverity.Low => "Low",
        _ => "Informational",
    };

    /// <summary>The region unless it is absent or "global" (account-wide subjects have no region).</summary>
    internal static string? RealRegion(string? region) => region is null or "global" ? null : region;
}
