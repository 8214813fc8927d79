using System.Globalization;
using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// The human-readable report, made to scale to an organization with tens of thousands of findings: a one-screen
/// summary first (counts by outcome, severity and service; the filter and the baseline when given), then the findings
/// that need attention (Fail, then InsufficientData, then Error; with <see cref="ReportContext.IncludePassing"/> also
/// Pass and NotApplicable), then suppressed findings.
/// <para>
/// Each section is grouped by rule, the rules most severe first, then by id. A rule's group is a header line and at
/// most <see cref="ReportContext.MaxPerRule"/> subjects (<c>--max-per-rule</c>; 0 lists all), each with its location,
/// then "and K more":
/// <code>
/// [HIGH] SRA-GUARDDUTY-01 GuardDuty detector enabled (14):
///    222222222222 us-east-1: message
///       at snapshot.json:123:9 ($['evidence'][4]['response']['DetectorIds'])
///    … and 4 more subjects (--max-per-rule 0 lists every one)
/// </code>
/// A subject whose severity differs from its rule's (a scoped severity) shows its own in brackets. InsufficientData
/// findings, which say the same thing for many subjects, take one line per rule with their count, the first reason
/// and how many more subjects it covers (a rule with one takes the usual lines).
/// </para>
/// With <see cref="ReportContext.TerminalWidth"/> set (a terminal), lines longer than the width wrap at a space, the
/// continuation indented; in a pipe or a file lines never wrap. ANSI colour is written only when
/// <see cref="ReportContext.UseColor"/> is set. Control characters in text that comes from the snapshot are escaped,
/// so a resource name cannot drive the terminal.
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
        var text = new Text(output, context.UseColor, context.TerminalWidth);
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
            if (group.Length == 0)
            {
                continue;
            }

            var byRule = ByRule(group);
            text.Line();
            if (outcome == Outcome.InsufficientData)
            {
                text.Style(Bold, Invariant($"{Heading(outcome)} ({group.Length} {Plural(group.Length, "finding")} from {byRule.Length} {Plural(byRule.Length, "rule")}, grouped by rule):")).Line();
                foreach (var rule in byRule)
                {
                    WriteRuleLine(text, rule, snapshot);
                }

                continue;
            }

            text.Style(Bold, Invariant($"{Heading(outcome)} ({group.Length} from {byRule.Length} {Plural(byRule.Length, "rule")}, most severe first):")).Line();
            foreach (var rule in byRule)
            {
                WriteRuleGroup(text, rule, snapshot, context);
            }
        }

        var suppressed = listed.Where(f => f.Suppression is not null).ToArray();
        if (suppressed.Length > 0)
        {
            var byRule = ByRule(suppressed);
            text.Line();
            text.Style(Bold, Invariant($"Suppressed ({suppressed.Length} from {byRule.Length} {Plural(byRule.Length, "rule")}, most severe first):")).Line();
            foreach (var rule in byRule)
            {
                WriteRuleGroup(text, rule, snapshot, context);
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

    /// <summary>Findings grouped by rule: the most severe rule first, then by id; findings in report order.</summary>
    private static Finding[][] ByRule(IEnumerable<Finding> findings) =>
        [.. findings.GroupBy(f => f.Rule.Id, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .OrderByDescending(g => g.Max(f => f.Severity))
            .ThenBy(g => g[0].Rule.Id, StringComparer.Ordinal)];

    /// <summary>A rule's header, then at most <see cref="ReportContext.MaxPerRule"/> subjects, then how many more.</summary>
    private static void WriteRuleGroup(Text text, Finding[] findings, string snapshot, ReportContext context)
    {
        var severity = findings.Max(f => f.Severity);
        var rule = findings[0].Rule;
        text.Style(SeverityColor(severity), $"[{severity.ToName().ToUpperInvariant()}]").Plain(" ").Style(Bold, Clean(rule.Id));
        if (rule.Title.Length > 0)
        {
            text.Plain(" ").Plain(Clean(rule.Title));
        }

        text.Plain(Invariant($" ({findings.Length}):")).Line();
        var shown = context.MaxPerRule > 0 ? Math.Min(context.MaxPerRule, findings.Length) : findings.Length;
        foreach (var finding in findings.Take(shown))
        {
            WriteSubject(text, finding, severity, snapshot, context);
        }

        if (shown < findings.Length)
        {
            var more = findings.Length - shown;
            text.Style(Dim, Invariant($"   … and {more} more {Plural(more, "subject")} (--max-per-rule 0 lists every one)")).Line();
        }
    }

    /// <summary>One line for a rule's InsufficientData findings: count, the first reason, and how many more subjects.</summary>
    private static void WriteRuleLine(Text text, Finding[] findings, string snapshot)
    {
        var first = findings[0];
        var severity = findings.Max(f => f.Severity);
        if (findings.Length == 1)
        {
            text.Style(SeverityColor(first.Severity), $"[{first.Severity.ToName().ToUpperInvariant()}]").Plain(" ").Plain(Clean(first.Rule.Id)).Plain(" ").Style(Magenta, first.Outcome.ToName());
            WriteSubjectText(text, first);
            WriteLocation(text, first, snapshot, "   at ");
            return;
        }

        text.Style(SeverityColor(severity), $"[{severity.ToName().ToUpperInvariant()}]").Plain(" ").Plain(Clean(first.Rule.Id));
        text.Plain(" ").Style(Magenta, first.Outcome.ToName()).Plain(Invariant($" {findings.Length} subjects: ")).Plain(Clean(first.Message));
        if (first.Code is not null && !first.Message.Contains(first.Code, StringComparison.Ordinal))
        {
            text.Plain(" (").Plain(Clean(first.Code)).Plain(")");
        }

        var more = findings.Length - 1;
        text.Style(Dim, Invariant($" (and {more} more {Plural(more, "subject")})")).Line();
    }

    /// <summary>A subject under its rule's header: its own severity when it differs, the subject, the message, the location.</summary>
    private static void WriteSubject(Text text, Finding finding, RuleSeverity ruleSeverity, string snapshot, ReportContext context)
    {
        text.Plain("  ");
        if (finding.Severity != ruleSeverity)
        {
            text.Plain(" ").Style(SeverityColor(finding.Severity), $"[{finding.Severity.ToName().ToUpperInvariant()}]");
        }

        if (context.Baseline?.StatusOf(finding) == Baselines.BaselineStatus.New)
        {
            text.Plain(" ").Style(Bold, "new");
        }

        WriteSubjectText(text, finding);
        WriteLocation(text, finding, snapshot, "      at ");
        if (finding.Suppression is { } suppression)
        {
            text.Style(Dim, $"      suppressed by {Clean(suppression.Source)}{(suppression.Owner is { } owner ? $" (owner {Clean(owner)})" : string.Empty)}: {Clean(suppression.Justification)}").Line();
        }
    }

    /// <summary>" account region [resource]: message (code)" and the end of the line.</summary>
    private static void WriteSubjectText(Text text, Finding finding)
    {
        // An evidence key repeats the account and region (service:Operation/account/region): leave it to the path.
        var parts = SubjectParts(finding.Subject).ToArray();
        var shown = finding.Subject.Kind == TargetKind.Evidence ? parts.Take(2).ToArray() : parts;
        foreach (var part in shown)
        {
            text.Plain(" ").Plain(Clean(part));
        }

        text.Plain(shown.Length == 0 ? " " : ": ").Plain(Clean(finding.Message));
        // The code is shown once: an AWS error code is often already part of the message.
        if (finding.Code is not null && !finding.Message.Contains(finding.Code, StringComparison.Ordinal))
        {
            text.Plain(" (").Plain(Clean(finding.Code)).Plain(")");
        }

        text.Line();
    }

    private static void WriteLocation(Text text, Finding finding, string snapshot, string prefix)
    {
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
            text.Style(Dim, prefix + where).Line();
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

    /// <summary>
    /// A tiny styled writer: styles are emitted only when colour is on; lines always end with LF. With a width, a line
    /// longer than it is broken at the last space that fits (anywhere, when a word is longer than the width), and each
    /// continuation is indented past the line's own indentation.
    /// </summary>
    private sealed class Text(TextWriter writer, bool color, int? width = null)
    {
        private const int ContinuationIndent = 4;
        private readonly List<(string? Style, string Text)> _line = [];

        public Text Plain(string text)
        {
            _line.Add((null, text));
            return this;
        }

        public Text Style(string style, string text)
        {
            _line.Add((style, text));
            return this;
        }

        public Text Line()
        {
            var breaks = width is { } w ? Breaks(string.Concat(_line.Select(p => p.Text)), w) : [];
            var indent = string.Empty;
            if (breaks.Count > 0)
            {
                var visible = string.Concat(_line.Select(p => p.Text));
                indent = new string(' ', Math.Min(visible.Length - visible.TrimStart(' ').Length + ContinuationIndent, width!.Value / 2));
            }

            var position = 0;
            var next = 0;
            foreach (var (style, text) in _line)
            {
                var open = color && style is not null;
                if (open)
                {
                    writer.Write(style);
                }

                foreach (var c in text)
                {
                    if (next < breaks.Count && position == breaks[next].At)
                    {
                        if (open)
                        {
                            writer.Write(Reset);
                        }

                        writer.Write('\n');
                        writer.Write(indent);
                        if (open)
                        {
                            writer.Write(style);
                        }

                        var skip = breaks[next].AtSpace;
                        next++;
                        position++;
                        if (skip)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        position++;
                    }

                    writer.Write(c);
                }

                if (open)
                {
                    writer.Write(Reset);
                }
            }

            writer.Write('\n');
            _line.Clear();
            return this;
        }

        /// <summary>
        /// Where a line of <paramref name="width"/> columns breaks: at a space (which the break replaces) or, for a word
        /// longer than the room, inside it. Continuations have less room (their indentation).
        /// </summary>
        internal static List<(int At, bool AtSpace)> Breaks(string line, int width)
        {
            var breaks = new List<(int, bool)>();
            if (line.Length <= width)
            {
                return breaks;
            }

            var indent = Math.Min(line.Length - line.TrimStart(' ').Length + ContinuationIndent, width / 2);
            var start = 0;
            var room = width;
            while (line.Length - start > room)
            {
                var space = line.LastIndexOf(' ', start + room, room);
                if (space > start && line.AsSpan(start, space - start).Trim().Length > 0)
                {
                    breaks.Add((space, true));
                    start = space + 1;
                }
                else
                {
                    breaks.Add((start + room, false));
                    start += room;
                }

                room = width - indent;
            }

            return breaks;
        }
    }
}
