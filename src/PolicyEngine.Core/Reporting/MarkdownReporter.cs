using System.Globalization;
using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// A compact GitHub-flavoured Markdown summary for a pull-request comment or <c>$GITHUB_STEP_SUMMARY</c>: a headline,
/// the counts (unsuppressed failures per severity, every outcome, the filter and the baseline when given), the new
/// findings first when a baseline is given, the top failing rules, then one collapsible <c>&lt;details&gt;</c> per rule
/// with at most <see cref="ReportContext.MaxPerRule"/> subjects, the suppressed and the fixed findings.
/// <para>
/// The whole text stays under <see cref="CharacterLimit"/> characters (UTF-16 code units, never fewer than GitHub's
/// characters), GitHub's limit for a comment: when the report would be longer, the lists stop at a whole line, every
/// open <c>&lt;details&gt;</c> is closed, and a closing note says how many findings were left out and where to find them.
/// </para>
/// Text from the snapshot is escaped: Markdown and HTML punctuation in messages, subjects in code spans (so an
/// <c>@name</c> in a resource mentions nobody), control characters as <c>\uXXXX</c>.
/// </summary>
public sealed class MarkdownReporter : IFindingsReporter
{
    /// <summary>GitHub's limit for the body of a pull-request comment.</summary>
    public const int CharacterLimit = 65_536;

    /// <summary>How many rules the "Top failing rules" table shows.</summary>
    public const int TopRules = 10;

    /// <summary>How many new findings the "New since the baseline" list shows before "and K more".</summary>
    public const int NewListed = 50;

    // Room kept for the closing tags and the note of a cut report.
    private const int Reserve = 1_024;

    private readonly int _limit;

    /// <summary>A reporter that keeps its text under <see cref="CharacterLimit"/>.</summary>
    public MarkdownReporter()
        : this(CharacterLimit)
    {
    }

    /// <summary>A reporter with another limit (tests of the cut).</summary>
    internal MarkdownReporter(int limit) => _limit = limit;

    /// <inheritdoc/>
    public string Format => "markdown";

    /// <inheritdoc/>
    /// <remarks>The page lists only what needs attention, and counts the rest.</remarks>
    public bool ReadsPassingFindings(ReportContext context) => false;

    /// <inheritdoc/>
    public string FileExtension => ".md";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var text = Render(result, context);
        output.Write(ReportWriting.Utf8.GetBytes(text));
        output.Flush();
    }

    private string Render(EvaluationResult result, ReportContext context)
    {
        var page = new Page(_limit - Reserve);
        var summary = ReportSummary.From(result);
        var baseline = context.Baseline;
        var open = result.Findings.Where(f => f.Suppression is null && ReportWriting.NeedsAttention(f.Outcome)).ToArray();
        var snapshot = ReportWriting.SnapshotPath(result, context);

        page.Add(open.Length == 0
            ? $"## {Escape(context.ToolName)}: no unsuppressed failing findings\n\n"
            : Invariant($"## {Escape(context.ToolName)}: {open.Length} {Plural(open.Length, "finding")} {(open.Length == 1 ? "needs" : "need")} attention\n\n"));
        page.Add(Invariant($"{summary.Total} {Plural(summary.Total, "finding")} from {summary.Rules} {Plural(summary.Rules, "rule")} on {Code(snapshot)}, {Escape(context.ToolName)} {Escape(context.ToolVersion)}.\n"));
        if (context.Filter is { } filter)
        {
            page.Add($"Filter: {Escape(filter)} (every count covers the filtered findings only).\n");
        }

        if (baseline is not null)
        {
            page.Add(Invariant($"Baseline {Code(baseline.File)}: **{baseline.New} new**, {baseline.Unchanged} unchanged, {baseline.Fixed.Count} fixed.\n"));
        }

        page.Add("\n| Unsuppressed failures | " + string.Join(" | ", ReportSummary.SeverityOrder.Select(s => s.ToName())) + " |\n");
        page.Add("|---|" + string.Concat(ReportSummary.SeverityOrder.Select(_ => "---:|")) + "\n");
        page.Add("| count | " + string.Join(" | ", ReportSummary.SeverityOrder.Select(s => summary.Failures(s).ToString(CultureInfo.InvariantCulture))) + " |\n\n");
        page.Add("Outcomes: " + string.Join(", ", ReportSummary.OutcomeOrder.Select(o => Invariant($"{o.ToName()} {summary.Count(o)}")))
            + Invariant($" (suppressed {summary.Suppressed}).\n"));

        // Most severe first, then by rule id, then in the evaluation's order (OrderBy is stable).
        var ordered = open.OrderByDescending(f => f.Severity).ThenBy(f => f.Rule.Id, StringComparer.Ordinal).ToArray();
        if (baseline is not null)
        {
            var fresh = ordered.Where(f => baseline.StatusOf(f) == BaselineStatus.New).ToArray();
            page.Add(Invariant($"\n### New since the baseline ({fresh.Length})\n\n"));
            if (fresh.Length == 0)
            {
                page.Add("No new unsuppressed finding.\n");
            }

            WriteList(page, fresh, NewListed, f => FindingLine(f, null, snapshot, withRule: true), "new findings", counted: false);
        }

        var byRule = ordered.GroupBy(f => f.Rule.Id, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            // A rule's findings may differ in severity (scoped severity): the rule ranks by its most severe one.
            .OrderByDescending(g => g.Max(f => f.Severity)).ThenByDescending(g => g.Length).ThenBy(g => g[0].Rule.Id, StringComparer.Ordinal)
            .ToArray();
        if (byRule.Length > 0)
        {
            page.Add(Invariant($"\n### Top failing rules ({Math.Min(TopRules, byRule.Length)} of {byRule.Length})\n\n"));
            page.Add(baseline is null ? "| Severity | Rule | Title | Fail | Insufficient data | Error |\n|---|---|---|---:|---:|---:|\n"
                : "| Severity | Rule | Title | Fail | Insufficient data | Error | New |\n|---|---|---|---:|---:|---:|---:|\n");
            foreach (var rule in byRule.Take(TopRules))
            {
                var first = rule[0];
                var row = Invariant($"| {rule.Max(f => f.Severity).ToName()} | {Escape(first.Rule.Id)} | {Escape(first.Rule.Title)} | {Count(rule, Outcome.Fail)} | {Count(rule, Outcome.InsufficientData)} | {Count(rule, Outcome.Error)} |");
                if (baseline is not null)
                {
                    row += Invariant($" {rule.Count(f => baseline.StatusOf(f) == BaselineStatus.New)} |");
                }

                page.Add(row + "\n");
            }

            page.Add("\n### Findings by rule\n\n");
            foreach (var rule in byRule)
            {
                var first = rule[0];
                var counts = string.Join(", ", ReportSummary.OutcomeOrder.Where(o => Count(rule, o) > 0).Select(o => Invariant($"{Count(rule, o)} {o.ToName()}")));
                var severity = rule.Max(f => f.Severity);
                if (!page.Open($"<details>\n<summary><b>{severity.ToName().ToUpperInvariant()}</b> {Escape(first.Rule.Id)} {Escape(first.Rule.Title)}: {counts}</summary>\n\n"))
                {
                    page.Omit(rule.Length);
                    continue;
                }

                var about = new StringBuilder();
                if (first.Rule.Remediation.Length > 0)
                {
                    about.Append("Remediation: ").Append(Escape(first.Rule.Remediation));
                }

                if (first.Rule.HelpUri is { } help && Uri.TryCreate(help, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
                {
                    about.Append(about.Length > 0 ? " " : string.Empty).Append("[Help](").Append(uri.AbsoluteUri.Replace(")", "%29", StringComparison.Ordinal)).Append(')');
                }

                if (about.Length > 0)
                {
                    page.Add(about.Append("\n\n").ToString());
                }

                WriteList(page, rule, context.MaxPerRule, f => FindingLine(f, baseline?.StatusOf(f), snapshot, withRule: false, severity), "subjects");
                page.Close("\n</details>\n\n");
            }
        }

        var suppressed = result.Findings.Where(f => f.Suppression is not null && ReportWriting.NeedsAttention(f.Outcome))
            .OrderByDescending(f => f.Severity).ThenBy(f => f.Rule.Id, StringComparer.Ordinal).ToArray();
        if (suppressed.Length > 0)
        {
            if (page.Open(Invariant($"<details>\n<summary>Suppressed ({suppressed.Length})</summary>\n\n")))
            {
                WriteList(page, suppressed, 0, f => FindingLine(f, null, snapshot, withRule: true)
                    + $" Suppressed by {Code(f.Suppression!.Source)}{(f.Suppression.Owner is { } owner ? $" (owner {Code(owner)})" : string.Empty)}: {Escape(f.Suppression.Justification)}", "suppressed findings");
                page.Close("\n</details>\n\n");
            }
            else
            {
                page.Omit(suppressed.Length);
            }
        }

        if (baseline is { Fixed.Count: > 0 })
        {
            var fixedFindings = baseline.Fixed.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ToArray();
            if (page.Open(Invariant($"<details>\n<summary>Fixed since the baseline ({fixedFindings.Length})</summary>\n\n")))
            {
                WriteList(page, fixedFindings, 0, FixedLine, "fixed findings");
                page.Close("\n</details>\n\n");
            }
            else
            {
                page.Omit(fixedFindings.Length);
            }
        }

        return page.Finish();
    }

    /// <summary>Writes up to <paramref name="max"/> (0: all) list items, then "and K more"; stops at the page's limit.</summary>
    /// <param name="page">The page.</param>
    /// <param name="items">The items.</param>
    /// <param name="max">At most this many (0: all).</param>
    /// <param name="line">An item's text.</param>
    /// <param name="noun">What the items are, plural.</param>
    /// <param name="counted">False for a list whose findings are listed again later (the new ones), so a cut counts them once.</param>
    private static void WriteList<T>(Page page, IReadOnlyList<T> items, int max, Func<T, string> line, string noun, bool counted = true)
    {
        var shown = max > 0 ? Math.Min(max, items.Count) : items.Count;
        for (var i = 0; i < shown; i++)
        {
            if (!page.Add("- " + line(items[i]) + "\n"))
            {
                page.Omit(counted ? items.Count - i : 0);
                return;
            }
        }

        if (shown < items.Count)
        {
            var more = items.Count - shown;
            page.Add(Invariant($"- … and {more} more {(more == 1 ? noun.TrimEnd('s') : noun)}\n"));
        }
    }

    /// <summary>One finding; under its rule's header (<paramref name="ruleSeverity"/>), its own severity only when it differs.</summary>
    private static string FindingLine(Finding finding, BaselineStatus? status, string snapshot, bool withRule, RuleSeverity? ruleSeverity = null)
    {
        var line = new StringBuilder();
        if (withRule)
        {
            line.Append("**").Append(finding.Severity.ToName().ToUpperInvariant()).Append("** ").Append(Escape(finding.Rule.Id)).Append(' ');
        }
        else if (ruleSeverity is { } shown && finding.Severity != shown)
        {
            line.Append("**").Append(finding.Severity.ToName().ToUpperInvariant()).Append("** ");
        }

        if (status == BaselineStatus.New)
        {
            line.Append("**new** ");
        }

        line.Append(finding.Outcome.ToName());
        var parts = ConsoleReporter.SubjectParts(finding.Subject).ToArray();
        foreach (var part in finding.Subject.Kind == TargetKind.Evidence ? parts.Take(2) : parts)
        {
            line.Append(' ').Append(Code(part));
        }

        line.Append(": ").Append(Escape(finding.Message));
        if (finding.Line > 0)
        {
            line.Append(' ').Append(Code(Invariant($"{snapshot}:{finding.Line}:{finding.Column}")));
        }

        return line.ToString();
    }

    private static string FixedLine(ReportedFinding finding)
    {
        var line = new StringBuilder();
        line.Append("**").Append(finding.Severity.ToName().ToUpperInvariant()).Append("** ").Append(Escape(finding.RuleId)).Append(' ').Append(finding.Outcome.ToName());
        foreach (var part in ConsoleReporter.SubjectParts(new FindingSubject { Kind = TargetKind.Resource, Account = finding.Account, Region = finding.Region, Resource = finding.Resource }))
        {
            line.Append(' ').Append(Code(part));
        }

        return line.Append(": ").Append(Escape(finding.Message)).ToString();
    }

    private static int Count(Finding[] findings, Outcome outcome) => findings.Count(f => f.Outcome == outcome);

    /// <summary>Escapes text for Markdown inline content and table cells: punctuation that formats, HTML, line breaks.</summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in ConsoleReporter.Clean(text))
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~':
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A code span: text shown as it is, fenced by one backtick more than its longest run of backticks.</summary>
    internal static string Code(string text)
    {
        text = ConsoleReporter.Clean(text);
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : string.Empty;
        return fence + pad + text + pad + fence;
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>
    /// The text under construction with its budget: <see cref="Add"/> refuses a piece that would pass the budget, and
    /// from then on refuses everything, so the report ends at a whole line. Closing tags are always written (the
    /// reserve holds them).
    /// </summary>
    private sealed class Page(int budget)
    {
        private readonly StringBuilder _text = new();
        private int _omitted;

        public bool IsCut { get; private set; }

        public bool Add(string piece)
        {
            if (IsCut || _text.Length + piece.Length > budget)
            {
                IsCut = true;
                return false;
            }

            _text.Append(piece);
            return true;
        }

        /// <summary>Opens a block (its closing tag is written by <see cref="Close"/> whatever happens); false when cut.</summary>
        public bool Open(string piece) => Add(piece);

        public void Close(string piece) => _text.Append(piece);

        /// <summary>Counts findings left out by the cut.</summary>
        public void Omit(int findings) => _omitted += findings;

        public string Finish()
        {
            if (IsCut)
            {
                _text.Append(Invariant($"\n> **Cut to stay under GitHub's {CharacterLimit:N0}-character limit:** {_omitted} more {Plural(_omitted, "finding")} ")
                    + "are not listed here. Write every finding with `--format json=report.json` or `--format html=report.html`.\n");
            }

            return _text.ToString();
        }
    }
}
