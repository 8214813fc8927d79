using System.Globalization;
using System.Text.Json;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting.Baselines;

/// <summary>
/// <c>policy-engine diff BEFORE AFTER</c>: the findings of two JSON reports classified exactly as
/// <c>evaluate --baseline BEFORE</c> classifies those of AFTER: new (only in AFTER), unchanged (in both), fixed (only in
/// BEFORE). Only findings that need attention (Fail, InsufficientData, Error) take part.
/// </summary>
public sealed class ReportDiff
{
    private ReportDiff(string before, string after, IReadOnlyList<ReportedFinding> newFindings, IReadOnlyList<ReportedFinding> unchanged, IReadOnlyList<ReportedFinding> fixedFindings)
    {
        Before = before;
        After = after;
        New = newFindings;
        Unchanged = unchanged;
        Fixed = fixedFindings;
    }

    /// <summary>The earlier report's file.</summary>
    public string Before { get; }

    /// <summary>The later report's file.</summary>
    public string After { get; }

    /// <summary>Findings of the later report that the earlier one does not have, in the later report's order.</summary>
    public IReadOnlyList<ReportedFinding> New { get; }

    /// <summary>Findings of the later report that the earlier one has too.</summary>
    public IReadOnlyList<ReportedFinding> Unchanged { get; }

    /// <summary>Findings of the earlier report absent from the later one, in the earlier report's order.</summary>
    public IReadOnlyList<ReportedFinding> Fixed { get; }

    /// <summary>Compares two reports.</summary>
    public static ReportDiff Compare(ReportedFindings before, ReportedFindings after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var current = after.Findings.Where(f => ReportWriting.NeedsAttention(f.Outcome)).ToList();
        var (isNew, fixedFindings) = BaselineComparison.Classify(current, f => f.Fingerprint, before.Findings);
        return new ReportDiff(before.File, after.File,
            current.Where((_, i) => isNew[i]).ToArray(), current.Where((_, i) => !isNew[i]).ToArray(), fixedFindings);
    }

    /// <summary>True when an unsuppressed new finding that fails (or, unless allowed, lacks data or errs) reaches the threshold.</summary>
    public bool NewAtOrAbove(RuleSeverity threshold, bool allowInsufficient) =>
        New.Any(f => !f.Suppressed && f.Severity >= threshold && (f.Outcome == Outcome.Fail || !allowInsufficient));

    /// <summary>Writes the text form: counts, then the new and the fixed findings, most severe first.</summary>
    public void WriteText(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Invariant($"{Before} -> {After}: new {New.Count}, unchanged {Unchanged.Count}, fixed {Fixed.Count}\n"));
        WriteSection(output, "New", New);
        WriteSection(output, "Fixed", Fixed);
    }

    /// <summary>Writes the JSON form: <c>{before, after, summary, new, fixed}</c>, unchanged as a count.</summary>
    public void WriteJson(Stream output)
    {
        ReportWriting.WriteJson(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("before", Before);
            writer.WriteString("after", After);
            writer.WriteStartObject("summary");
            writer.WriteNumber("new", New.Count);
            writer.WriteNumber("unchanged", Unchanged.Count);
            writer.WriteNumber("fixed", Fixed.Count);
            writer.WriteEndObject();
            WriteArray(writer, "new", New);
            WriteArray(writer, "fixed", Fixed);
            writer.WriteEndObject();
        });
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<ReportedFinding> findings)
    {
        writer.WriteStartArray(name);
        foreach (var finding in Ordered(findings))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", finding.Fingerprint);
            writer.WriteString("ruleId", finding.RuleId);
            writer.WriteString("outcome", finding.Outcome.ToName());
            writer.WriteString("severity", finding.Severity.ToName());
            writer.WriteString("message", finding.Message);
            writer.WriteOptional("account", finding.Account);
            writer.WriteOptional("region", finding.Region);
            writer.WriteOptional("resource", finding.Resource);
            if (finding.Suppressed)
            {
                writer.WriteBoolean("suppressed", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteSection(TextWriter output, string heading, IReadOnlyList<ReportedFinding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        output.Write(Invariant($"\n{heading} ({findings.Count}):\n"));
        foreach (var finding in Ordered(findings))
        {
            var subject = string.Join(' ', ConsoleReporter.SubjectParts(new Evaluation.FindingSubject
            {
                Kind = TargetKind.Resource,
                Account = finding.Account,
                Region = finding.Region,
                Resource = finding.Resource,
            }).Select(ConsoleReporter.Clean));
            var outcome = finding.Outcome == Outcome.Fail ? string.Empty : " " + finding.Outcome.ToName();
            var suppressed = finding.Suppressed ? " (suppressed)" : string.Empty;
            output.Write($"[{finding.Severity.ToName().ToUpperInvariant()}] {finding.RuleId}{outcome} {subject}: {ConsoleReporter.Clean(finding.Message)}{suppressed}\n");
        }
    }

    /// <summary>Most severe first, then rule id; otherwise the report's order (stable).</summary>
    private static IEnumerable<ReportedFinding> Ordered(IReadOnlyList<ReportedFinding> findings) =>
        findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
