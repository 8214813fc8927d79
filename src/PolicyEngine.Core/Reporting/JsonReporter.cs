using System.Text.Json;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// The machine-readable report described by <c>schemas/findings.schema.json</c>: tool, snapshot, summary, the
/// rules that ran, and the findings (by default those that need attention; all with
/// <see cref="ReportContext.IncludePassing"/>). Properties whose value is null are omitted, never written as null.
/// </summary>
public sealed class JsonReporter : IFindingsReporter
{
    /// <summary>The schema's id, written as <c>$schema</c>.</summary>
    public const string SchemaId = "https://policyengine.dev/schemas/findings.schema.json";

    /// <inheritdoc/>
    public string Format => "json";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        ReportWriting.WriteJson(output, writer => WriteReport(writer, result, context));
    }

    private static void WriteReport(Utf8JsonWriter writer, EvaluationResult result, ReportContext context)
    {
        var summary = ReportSummary.From(result);
        writer.WriteStartObject();
        writer.WriteString("$schema", SchemaId);
        writer.WriteStartObject("tool");
        writer.WriteString("name", context.ToolName);
        writer.WriteString("version", context.ToolVersion);
        writer.WriteEndObject();
        writer.WriteString("snapshot", ReportWriting.SnapshotPath(result, context));
        writer.WriteBoolean("includesPassing", context.IncludePassing);
        writer.WriteOptional("filter", context.Filter);
        writer.WriteOptional("baseline", context.Baseline?.File);
        if (context.Shard is { } shard)
        {
            shard.Write(writer, result);
        }

        writer.WriteStartObject("summary");
        writer.WriteNumber("rules", summary.Rules);
        writer.WriteNumber("findings", summary.Total);
        writer.WriteNumber("suppressed", summary.Suppressed);
        writer.WriteStartObject("byOutcome");
        WriteOutcomeCounts(writer, o => summary.Count(o));
        writer.WriteEndObject();
        writer.WriteStartObject("bySeverity");
        foreach (var severity in ReportSummary.SeverityOrder)
        {
            writer.WriteNumber(severity.ToName(), summary.Failures(severity));
        }

        writer.WriteEndObject();
        writer.WriteStartObject("byCategory");
        foreach (var category in summary.Categories)
        {
            writer.WriteStartObject(category);
            WriteOutcomeCounts(writer, o => summary.Count(category, o));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (context.Baseline is { } baseline)
        {
            writer.WriteStartObject("byBaselineStatus");
            writer.WriteNumber("new", baseline.New);
            writer.WriteNumber("unchanged", baseline.Unchanged);
            writer.WriteNumber("fixed", baseline.Fixed.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        writer.WriteStartArray("rules");
        foreach (var rule in ReportWriting.Rules(result))
        {
            WriteRule(writer, rule);
        }

        writer.WriteEndArray();

        writer.WriteStartArray("findings");
        foreach (var finding in ReportWriting.Listed(result, context))
        {
            WriteFinding(writer, finding, context.Baseline?.StatusOf(finding));
            writer.FlushWhenFull();
        }

        writer.WriteEndArray();
        if (context.Baseline is { } fixedFindings)
        {
            writer.WriteStartArray("fixed");
            foreach (var finding in fixedFindings.Fixed)
            {
                WriteFixed(writer, finding);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteOutcomeCounts(Utf8JsonWriter writer, Func<Outcome, int> count)
    {
        foreach (var outcome in ReportSummary.OutcomeOrder)
        {
            writer.WriteNumber(outcome.ToName(), count(outcome));
        }
    }

    private static void WriteRule(Utf8JsonWriter writer, RuleDescriptor rule)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rule.Id);
        writer.WriteString("title", rule.Title);
        writer.WriteString("category", rule.Category);
        writer.WriteString("defaultSeverity", rule.DefaultSeverity.ToName());
        writer.WriteBoolean("enabledByDefault", rule.IsEnabledByDefault);
        writer.WriteString("target", rule.Target);
        writer.WriteString("description", rule.Description);
        writer.WriteString("remediation", rule.Remediation);
        writer.WriteOptional("helpUri", rule.HelpUri);
        writer.WriteOptional("sraVerifyCheck", rule.SraVerifyCheck);
        writer.WriteOptional("sraExamplesSolution", rule.SraExamplesSolution);
        writer.WriteBoolean("extension", rule.IsExtension);
        writer.WriteOptional("differsFromSraVerify", rule.DiffersFromSraVerify);
        WriteStrings(writer, "accountScope", rule.AccountScope);
        WriteStrings(writer, "tags", rule.Tags);
        WriteStrings(writer, "links", rule.Links);
        writer.WriteString("sourceFile", rule.SourceFile);
        writer.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter writer, Finding finding, BaselineStatus? status)
    {
        writer.WriteStartObject();
        writer.WriteString("fingerprint", finding.Fingerprint);
        writer.WriteOptional("baselineStatus", status?.ToName());
        writer.WriteString("ruleId", finding.Rule.Id);
        writer.WriteString("outcome", finding.Outcome.ToName());
        writer.WriteString("severity", finding.Severity.ToName());
        writer.WriteString("category", finding.Rule.Category);
        writer.WriteString("message", finding.Message);

        writer.WriteStartObject("subject");
        writer.WriteString("kind", finding.Subject.Kind.ToName());
        writer.WriteOptional("account", finding.Subject.Account);
        writer.WriteOptional("accountName", finding.Subject.AccountName);
        writer.WriteOptional("region", finding.Subject.Region);
        writer.WriteOptional("resource", finding.Subject.Resource);
        writer.WriteOptional("ouPath", finding.Subject.OuPath);
        writer.WriteEndObject();

        if (finding.Path is not null || finding.Line > 0)
        {
            writer.WriteStartObject("location");
            writer.WriteOptional("path", finding.Path?.ToString());
            if (finding.Line > 0)
            {
                writer.WriteNumber("line", finding.Line);
                writer.WriteNumber("column", Math.Max(finding.Column, 1));
            }

            writer.WriteEndObject();
        }

        writer.WriteOptional("code", finding.Code);
        if (finding.Suppression is { } suppression)
        {
            writer.WriteStartObject("suppression");
            writer.WriteString("justification", suppression.Justification);
            writer.WriteString("source", suppression.Source);
            if (suppression.Owner is { } owner)
            {
                writer.WriteString("owner", owner);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>A fixed finding, as the baseline wrote it (its message and location are the baseline's).</summary>
    private static void WriteFixed(Utf8JsonWriter writer, ReportedFinding finding)
    {
        writer.WriteStartObject();
        writer.WriteString("fingerprint", finding.Fingerprint);
        writer.WriteString("baselineStatus", BaselineStatus.Fixed.ToName());
        writer.WriteString("ruleId", finding.RuleId);
        writer.WriteString("outcome", finding.Outcome.ToName());
        writer.WriteString("severity", finding.Severity.ToName());
        writer.WriteString("category", finding.Category);
        writer.WriteString("message", finding.Message);
        writer.WriteStartObject("subject");
        writer.WriteOptional("kind", finding.Kind?.ToName());
        writer.WriteOptional("account", finding.Account);
        writer.WriteOptional("region", finding.Region);
        writer.WriteOptional("resource", finding.Resource);
        writer.WriteOptional("ouPath", finding.OuPath);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
