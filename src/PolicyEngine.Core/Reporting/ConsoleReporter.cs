using System.Globalization;
using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// The human-readable report: a summary by outcome, severity and service, then the findings that need
/// attention (Fail, then InsufficientData, then Error; with <see cref="ReportContext.IncludePassing"/> also Pass
/// and NotApplicable), then suppressed findings. Each finding takes one line plus a location line:
/// <code>
/// [HIGH] SRA-GUARDDUTY-01 222222222222 us-east-1: message
///    at snapshot.json:123:9 ($['evidence'][4]['response']['DetectorIds'])
/// </code>
/// InsufficientData findings are grouped by rule, because on a real organization they can run to hundreds of lines:
/// a rule with several such findings takes one line with their count, the first finding's reason and how many more
/// subjects it covers (a rule with one takes the usual two lines). Fail findings are always listed one by one.
/// <code>
/// [HIGH] SRA-GUARDDUTY-01 insufficientData 14 subjects: Insufficient data: ... (and 13 more subjects)
/// </code>
/// ANSI colour is written only when <see cref="ReportContext.UseColor"/> is set. Control characters in text
/// that comes from the snapshot are escaped, so a resource name cannot drive the terminal.
/// </summary>
public sealed class ConsoleReporter : IFindingsReporter
{
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";
    private const string Dim = "\u001b[2m";
    private const string Red = "\u001b[31m";
    private const string BoldRed = "\u001b[1;31m";
    private const string Yellow = "\u001b[33m";
    private const string Cyan = "\u001b[36m";
    private const string Magenta = "\u001b[35m";
    private const string Green = "\u001b[32m";

    /// <inheritdoc/>
    public string Format => "console";

    /// <inheritdoc/>
    public string FileExtension => ".txt";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = ReportWriting.TextWriter(output);
        WriteText(result, context, writer);
        writer.Flush();
    }

    /// <summary>
    /// Writes the report to a text writer such as <see cref="Console.Out"/>. Lines end with LF whatever the
    /// writer's <see cref="TextWriter.NewLine"/> says.
    /// </summary>
    public static void WriteText(EvaluationResult result, ReportContext context, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var text = new Text(output, context.UseColor);
        var summary = ReportSummary.From(result);
        var snapshot = ReportWriting.SnapshotPath(result, context);

        text.Style(Bold, $"{context.ToolName} {context.ToolVersion}").Plain(": ")
            .Plain(Invariant($"{summary.Total} {Plural(summary.Total, "finding")} from {summary.Rules} {Plural(summary.Rules, "rule")} on "))
            .Plain(Clean(snapshot)).Line();
        if (context.Filter is { } filter)
        {
            text.Plain("Filter:     ").Plain(Clean(filter)).Plain(" (every count covers the filtered findings only)").Line();
        }

        if (context.Baseline is { } baseline)
        {
            text.Plain("Baseline:   ").Plain(Invariant($"new {baseline.New}, unchanged {baseline.Unchanged}, fixed {baseline.Fixed.Count} since ")).Plain(Clean(baseline.File)).Line();
        }

        text.Line();

        text.Plain("Outcomes:   ").Plain(string.Join(", ", ReportSummary.OutcomeOrder.Select(o => Invariant($"{o.ToName()} {summary.Count(o)}"))));
        text.Plain(Invariant($" (suppressed {summary.Suppressed})")).Line();
        text.Plain("Severities: ").Plain(string.Join(", ", ReportSummary.SeverityOrder.Select(s => Invariant($"{s.ToName()} {summary.Failures(s)}"))));
        text.Plain(" (unsuppressed failures)").Line();
        text.Plain("Services:").Line();
        var width = summary.Categories.Select(c => Clean(c).Length).DefaultIfEmpty(0).Max();
        foreach (var category in summary.Categories)
        {
            var counts = ReportSummary.OutcomeOrder.Where(o => summary.Count(category, o) > 0)
                .Select(o => Invariant($"{o.ToName()} {summary.Count(category, o)}")).ToArray();
            text.Plain("  ").Plain(Clean(category).PadRight(width)).Plain("  ")
                .Plain(counts.Length == 0 ? "no findings" : string.Join(", ", counts)).Line();
        }

        var listed = ReportWriting.Listed(result, context).ToArray();
        var outcomes = context.IncludePassing ? ReportSummary.OutcomeOrder : ReportSummary.OutcomeOrder.Where(ReportWriting.NeedsAttention);
        foreach (var outcome in outcomes)
        {
            var group = listed.Where(f => f.Outcome == outcome && f.Suppression is null).ToArray();
            if (group.Length > 0)
            {
                text.Line();
                if (outcome == Outcome.InsufficientData)
                {
                    var byRule = group.GroupBy(f => f.Rule.Id, StringComparer.Ordinal).ToArray();
                    text.Style(Bold, Invariant($"{Heading(outcome)} ({group.Length} {Plural(group.Length, "finding")} from {byRule.Length} {Plural(byRule.Length, "rule")}, grouped by rule):")).Line();
                    foreach (var rule in byRule)
                    {
                        WriteRuleGroup(text, [.. rule], snapshot);
                    }

                    continue;
                }

                text.Style(Bold, Invariant($"{Heading(outcome)} ({group.Length}):")).Line();
                foreach (var finding in group)
                {
                    WriteFinding(text, finding, snapshot);
                }
            }
        }

        var suppressed = listed.Where(f => f.Suppression is not null).ToArray();
        if (suppressed.Length > 0)
        {
            text.Line();
            text.Style(Bold, Invariant($"Suppressed ({suppressed.Length}):")).Line();
            foreach (var finding in suppressed)
            {
                WriteFinding(text, finding, snapshot);
            }
        }

        text.Line();
        var open = summary.Count(Outcome.Fail) + summary.Count(Outcome.InsufficientData) + summary.Count(Outcome.Error)
            - result.Findings.Count(f => f.Suppression is not null && ReportWriting.NeedsAttention(f.Outcome));
        if (open == 0)
        {
            text.Style(Green, "No unsuppressed failing findings.").Line();
        }
        else
        {
            text.Style(Bold, Invariant($"{open} unsuppressed {Plural(open, "finding")} {(open == 1 ? "needs" : "need")} attention.")).Line();
        }
    }

    /// <summary>One line for a rule's findings of one outcome: count, the first reason, and how many more subjects.</summary>
    private static void WriteRuleGroup(Text text, Finding[] findings, string snapshot)
    {
        if (findings.Length == 1)
        {
            WriteFinding(text, findings[0], snapshot);
            return;
        }

        var first = findings[0];
        text.Style(SeverityColor(first.Severity), $"[{first.Severity.ToName().ToUpperInvariant()}]").Plain(" ").Plain(Clean(first.Rule.Id));
        text.Plain(" ").Style(Magenta, first.Outcome.ToName()).Plain(Invariant($" {findings.Length} subjects: ")).Plain(Clean(first.Message));
        if (first.Code is not null && !first.Message.Contains(first.Code, StringComparison.Ordinal))
        {
            text.Plain(" (").Plain(Clean(first.Code)).Plain(")");
        }

        var more = findings.Length - 1;
        text.Style(Dim, Invariant($" (and {more} more {Plural(more, "subject")})")).Line();
    }

    private static void WriteFinding(Text text, Finding finding, string snapshot)
    {
        var severity = finding.Severity.ToName().ToUpperInvariant();
        text.Style(SeverityColor(finding.Severity), $"[{severity}]").Plain(" ").Plain(Clean(finding.Rule.Id));
        if (finding.Outcome != Outcome.Fail)
        {
            text.Plain(" ").Style(Magenta, finding.Outcome.ToName());
        }

        // An evidence key repeats the account and region (service:Operation/account/region): leave it to the path.
        var parts = SubjectParts(finding.Subject);
        foreach (var part in finding.Subject.Kind == TargetKind.Evidence ? parts.Take(2) : parts)
        {
            text.Plain(" ").Plain(Clean(part));
        }

        text.Plain(": ").Plain(Clean(finding.Message));
        // The code is shown once: an AWS error code is often already part of the message.
        if (finding.Code is not null && !finding.Message.Contains(finding.Code, StringComparison.Ordinal))
        {
            text.Plain(" (").Plain(Clean(finding.Code)).Plain(")");
        }

        text.Line();
        var where = new StringBuilder();
        if (finding.Line > 0)
        {
            where.Append(Clean(snapshot)).Append(CultureInfo.InvariantCulture, $":{finding.Line}:{finding.Column}");
        }
        else if (finding.Path is not null)
        {
            where.Append(Clean(snapshot));
        }

        if (finding.Path is not null)
        {
            where.Append(" (").Append(Clean(finding.Path.ToString())).Append(')');
        }

        if (where.Length > 0)
        {
            text.Style(Dim, "   at " + where).Line();
        }

        if (finding.Suppression is { } suppression)
        {
            text.Style(Dim, $"   suppressed by {Clean(suppression.Source)}: {Clean(suppression.Justification)}").Line();
        }
    }

    /// <summary>Account, region, and the resource when it says more than those two.</summary>
    internal static IEnumerable<string> SubjectParts(FindingSubject subject)
    {
        if (subject.Account is not null)
        {
            yield return subject.Account;
        }

        if (subject.Region is not null)
        {
            yield return subject.Region;
        }

        if (subject.Resource is { } resource && !IsImplied(subject))
        {
            yield return resource;
        }
    }

    /// <summary>True when the resource is only the account id or "account/region" (account and region targets).</summary>
    internal static bool IsImplied(FindingSubject subject) =>
        subject.Resource is null
        || string.Equals(subject.Resource, subject.Account, StringComparison.Ordinal)
        || string.Equals(subject.Resource, $"{subject.Account}/{subject.Region}", StringComparison.Ordinal);

    private static string Heading(Outcome outcome) => outcome switch
    {
        Outcome.Fail => "Failures",
        Outcome.InsufficientData => "Insufficient data",
        Outcome.Error => "Errors",
        Outcome.Pass => "Passes",
        _ => "Not applicable",
    };

    private static string SeverityColor(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Critical => BoldRed,
        RuleSeverity.High => Red,
        RuleSeverity.Medium => Yellow,
        RuleSeverity.Low => Cyan,
        _ => Dim,
    };

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>Escapes control characters (ESC, CR, LF, C1...) so text from the snapshot stays on its line and inert.</summary>
    internal static string Clean(string text)
    {
        if (!text.Any(IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>A tiny styled writer: styles are emitted only when colour is on; lines always end with LF.</summary>
    private sealed class Text(TextWriter writer, bool color)
    {
        public Text Plain(string text)
        {
            writer.Write(text);
            return this;
        }

        public Text Style(string style, string text)
        {
            if (color)
            {
                writer.Write(style);
                writer.Write(text);
                writer.Write(Reset);
            }
            else
            {
                writer.Write(text);
            }

            return this;
        }

        public Text Line()
        {
            writer.Write('\n');
            return this;
        }
    }
}
