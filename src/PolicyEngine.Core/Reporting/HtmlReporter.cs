using System.Globalization;
using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// One self-contained HTML page (<c>--format html</c>): inline CSS and JavaScript, inline SVG charts, no external
/// fetch of any kind, readable when printed. It shows, in order:
/// <list type="number">
/// <item>a summary: findings per outcome, failures per severity, suppressed;</item>
/// <item>bar charts (inline SVG) of the outcomes per service, per account and per OU;</item>
/// <item>the findings that need attention (Fail and Error; all outcomes with <see cref="ReportContext.IncludePassing"/>),
/// grouped by rule, rules by severity then id, each with its description, remediation and help link, in tables that
/// sort on a header click and that one filter box narrows;</item>
/// <item>InsufficientData findings, then suppressed findings, each in a section of their own.</item>
/// </list>
/// The page is a pure function of the result and the context: its only time is the snapshot's collection time.
/// </summary>
public sealed class HtmlReporter : IFindingsReporter
{
    /// <inheritdoc/>
    public string Format => "html";

    /// <inheritdoc/>
    /// <remarks>The charts count passes per account and OU.</remarks>
    public bool ReadsPassingFindings(ReportContext context) => true;

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = ReportWriting.TextWriter(output);
        new Page(writer, result, context).Write();
        writer.Flush();
    }

    /// <summary>Escapes text for HTML element content and double-quoted attributes; control characters become \uXXXX.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = ConsoleReporter.Clean(text.Replace("\n", " ", StringComparison.Ordinal));
        if (clean.AsSpan().IndexOfAny("&<>\"") < 0)
        {
            return clean;
        }

        var builder = new StringBuilder(clean.Length + 16);
        foreach (var c in clean)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private sealed class Page(TextWriter w, EvaluationResult result, ReportContext context)
    {
        private static readonly Outcome[] ChartOutcomes = [Outcome.Fail, Outcome.Error, Outcome.InsufficientData, Outcome.Pass];
        private readonly ReportSummary _summary = ReportSummary.From(result);

        public void Write()
        {
            var snapshot = ReportWriting.SnapshotPath(result, context);
            w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            // No fetch of any kind: everything the page needs is in it.
            w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
            w.Write($"<title>PolicyEngine report: {Escape(snapshot)}</title>\n<style>\n{Css}</style>\n</head>\n<body>\n");
            w.Write("<header>\n<h1>PolicyEngine report</h1>\n<p class=\"meta\">Snapshot <code>");
            w.Write(Escape(snapshot));
            w.Write("</code>");
            if (result.CollectedAt is { } collected)
            {
                w.Write($", collected {Escape(collected.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))}");
            }

            w.Write($". {Escape(context.ToolName)} {Escape(context.ToolVersion)}, {Count(_summary.Rules, "rule")}.</p>\n</header>\n<main>\n");
            WriteSummary();
            WriteCharts();
            WriteFindings();
            w.Write("</main>\n<script>\n");
            w.Write(Script);
            w.Write("</script>\n</body>\n</html>\n");
        }

        private void WriteSummary()
        {
            w.Write("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
            foreach (var outcome in ReportSummary.OutcomeOrder)
            {
                w.Write($"<div class=\"card o-{outcome.ToName()}\"><span class=\"n\">{Number(_summary.Count(outcome))}</span> {Escape(OutcomeLabel(outcome))}</div>\n");
            }

            w.Write($"<div class=\"card o-suppressed\"><span class=\"n\">{Number(_summary.Suppressed)}</span> suppressed</div>\n</div>\n");
            w.Write("<table class=\"severity\">\n<caption>Unsuppressed failures by severity</caption>\n<tr>");
            foreach (var severity in ReportSummary.SeverityOrder)
            {
                w.Write($"<th class=\"s-{severity.ToName()}\">{severity.ToName()}</th>");
            }

            w.Write("</tr>\n<tr>");
            foreach (var severity in ReportSummary.SeverityOrder)
            {
                w.Write($"<td>{Number(_summary.Failures(severity))}</td>");
            }

            w.Write($"</tr>\n</table>\n<p>{Number(_summary.Total)} findings in all.</p>\n");
            if (context.Filter is { } filter)
            {
                w.Write($"<p class=\"filtered\"><strong>Filter:</strong> {Escape(filter)} (every count covers the filtered findings only).</p>\n");
            }

            if (context.Baseline is { } baseline)
            {
                w.Write($"<p class=\"baseline\"><strong>Baseline</strong> <code>{Escape(baseline.File)}</code>: {Number(baseline.New)} new, {Number(baseline.Unchanged)} unchanged, "
                    + $"<a href=\"#fixed\">{Number(baseline.Fixed.Count)} fixed</a>.</p>\n");
            }

            w.Write("</section>\n");
        }

        private void WriteCharts()
        {
            w.Write("<section id=\"charts\">\n<h2>Outcomes</h2>\n<p class=\"legend\">");
            foreach (var outcome in ChartOutcomes)
            {
                w.Write($"<span><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" class=\"b-{outcome.ToName()}\"/></svg> {Escape(OutcomeLabel(outcome))}</span> ");
            }

            w.Write("</p>\n");
            var byService = _summary.Categories.Select(c => (Label: c, Counts: ChartOutcomes.Select(o => _summary.Count(c, o)).ToArray())).ToList();
            Chart("chart-service", "By service", byService);
            Chart("chart-account", "By account", Group(f => f.Subject.Account is { } a ? (f.Subject.AccountName is { } n ? $"{n} ({a})" : a) : "(no account)"));
            Chart("chart-ou", "By OU", Group(f => f.Subject.OuPath ?? "(no OU)"));
            w.Write("</section>\n");
        }

        private List<(string Label, int[] Counts)> Group(Func<Finding, string> key)
        {
            var groups = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
            foreach (var finding in result.Findings)
            {
                var index = Array.IndexOf(ChartOutcomes, finding.Outcome);
                if (index < 0)
                {
                    continue;
                }

                var label = key(finding);
                if (!groups.TryGetValue(label, out var counts))
                {
                    groups.Add(label, counts = new int[ChartOutcomes.Length]);
                }

                counts[index]++;
            }

            return groups.Select(g => (g.Key, g.Value)).ToList();
        }

        /// <summary>A horizontal stacked bar per label, scaled to the largest total.</summary>
        private void Chart(string id, string title, List<(string Label, int[] Counts)> rows)
        {
            const int labelWidth = 260, barWidth = 440, rowHeight = 22, width = labelWidth + barWidth + 60;
            var max = Math.Max(1, rows.Count == 0 ? 0 : rows.Max(r => r.Counts.Sum()));
            var height = (Math.Max(rows.Count, 1) * rowHeight) + 4;
            w.Write($"<figure id=\"{id}\">\n<figcaption>{Escape(title)}</figcaption>\n");
            w.Write($"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\">\n");
            if (rows.Count == 0)
            {
                w.Write("<text x=\"0\" y=\"16\">No findings.</text>\n");
            }

            for (var i = 0; i < rows.Count; i++)
            {
                var (label, counts) = rows[i];
                var y = (i * rowHeight) + 2;
                var shown = label.Length > 38 ? string.Concat(label.AsSpan(0, 37), "…") : label;
                w.Write($"<g><title>{Escape(label)}: {Escape(string.Join(", ", ChartOutcomes.Select((o, k) => $"{counts[k]} {OutcomeLabel(o)}")))}</title>");
                w.Write($"<text x=\"{labelWidth - 6}\" y=\"{y + 14}\" text-anchor=\"end\">{Escape(shown)}</text>");
                double x = labelWidth;
                for (var k = 0; k < counts.Length; k++)
                {
                    if (counts[k] == 0)
                    {
                        continue;
                    }

                    var length = counts[k] * (double)barWidth / max;
                    w.Write($"<rect class=\"b-{ChartOutcomes[k].ToName()}\" x=\"{Svg(x)}\" y=\"{y}\" width=\"{Svg(length)}\" height=\"{rowHeight - 6}\"/>");
                    x += length;
                }

                w.Write($"<text x=\"{Svg(x + 6)}\" y=\"{y + 14}\">{Number(counts.Sum())}</text></g>\n");
            }

            w.Write("</svg>\n</figure>\n");
        }

        private void WriteFindings()
        {
            var listed = ReportWriting.Listed(result, context).ToList();
            var main = listed.Where(f => f.Suppression is null && f.Outcome != Outcome.InsufficientData).ToList();
            var insufficient = result.Findings.Where(f => f.Suppression is null && f.Outcome == Outcome.InsufficientData).ToList();
            var suppressed = result.Findings.Where(f => f.Suppression is not null && (context.IncludePassing || ReportWriting.NeedsAttention(f.Outcome))).ToList();
            var total = main.Count + insufficient.Count + suppressed.Count;

            w.Write("<div class=\"filterbar\">\n<label for=\"filter\">Filter</label> ");
            w.Write("<input id=\"filter\" type=\"search\" placeholder=\"rule, account, region, resource, text…\" autocomplete=\"off\"> ");
            w.Write($"<span id=\"shown\" aria-live=\"polite\">{Number(total)} of {Number(total)} findings shown</span>\n</div>\n");

            w.Write($"<section id=\"findings\">\n<h2>Findings by rule ({Number(main.Count)})</h2>\n");
            if (main.Count == 0)
            {
                w.Write("<p>No finding needs attention.</p>\n");
            }

            var byRule = main.GroupBy(f => f.Rule.Id, StringComparer.Ordinal)
                .OrderByDescending(g => g.Max(f => f.Severity)).ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var group in byRule)
            {
                WriteRuleGroup(group.First().Rule, group.ToList());
            }

            w.Write("</section>\n");
            WriteSection("insufficient", "Insufficient data", "The evidence these rules need is missing, failed or was not collected: each is an open question, never a pass.", insufficient, suppression: false);
            WriteSection("suppressed", "Suppressed", "Accepted by the policy configuration, with the justification it gives.", suppressed, suppression: true);
            if (context.Baseline is { } baseline)
            {
                WriteFixed(baseline);
            }
        }

        /// <summary>The baseline's findings that are absent now, as the baseline wrote them.</summary>
        private void WriteFixed(BaselineComparison baseline)
        {
            w.Write($"<section id=\"fixed\" class=\"group\">\n<h2>Fixed since the baseline ({Number(baseline.Fixed.Count)})</h2>\n");
            w.Write($"<p>In <code>{Escape(baseline.File)}</code> and absent now: the subject passes, no longer applies, or is gone.</p>\n");
            if (baseline.Fixed.Count > 0)
            {
                w.Write("<table class=\"findings\">\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Was</th><th scope=\"col\">Severity</th><th scope=\"col\">Account</th><th scope=\"col\">OU</th><th scope=\"col\">Region</th><th scope=\"col\">Resource</th><th scope=\"col\">Message</th></tr></thead>\n<tbody>\n");
                foreach (var f in baseline.Fixed)
                {
                    w.Write($"<tr class=\"fixed\"><td>{Escape(f.RuleId)}</td><td class=\"o-{f.Outcome.ToName()}\">{Escape(OutcomeLabel(f.Outcome))}</td>");
                    w.Write($"<td data-key=\"{4 - (int)f.Severity}\" class=\"s-{f.Severity.ToName()}\">{f.Severity.ToName()}</td><td>{Escape(f.Account ?? string.Empty)}</td>");
                    w.Write($"<td>{Escape(f.OuPath ?? string.Empty)}</td><td>{Escape(f.Region ?? string.Empty)}</td><td class=\"res\">{Escape(f.Resource ?? string.Empty)}</td><td>{Escape(f.Message)}</td></tr>\n");
                }

                w.Write("</tbody>\n</table>\n");
            }

            w.Write("</section>\n");
        }

        private void WriteRuleGroup(RuleDescriptor rule, List<Finding> findings)
        {
            var severity = findings.Max(f => f.Severity);
            w.Write($"<section class=\"group rule\" id=\"rule-{Escape(rule.Id)}\" data-rule=\"{Escape(rule.Id)}\">\n");
            w.Write($"<h3><span class=\"sev s-{severity.ToName()}\">{severity.ToName()}</span> {Escape(rule.Id)} {Escape(rule.Title)} <span class=\"count\">({Number(findings.Count)})</span></h3>\n");
            w.Write($"<p class=\"cat\">{Escape(rule.Category)}</p>\n");
            if (rule.Description.Length > 0)
            {
                w.Write($"<p>{Escape(rule.Description)}</p>\n");
            }

            if (rule.Remediation.Length > 0)
            {
                w.Write($"<p class=\"fix\"><strong>Remediation:</strong> {Escape(rule.Remediation)}</p>\n");
            }

            if (rule.HelpUri is { } help)
            {
                w.Write($"<p class=\"help\"><a href=\"{Escape(help)}\" rel=\"noreferrer\">{Escape(help)}</a></p>\n");
            }

            WriteTable(findings, includeRule: false, suppression: false);
            w.Write("</section>\n");
        }

        private void WriteSection(string id, string title, string intro, List<Finding> findings, bool suppression)
        {
            w.Write($"<section id=\"{id}\" class=\"group\">\n<h2>{Escape(title)} ({Number(findings.Count)})</h2>\n<p>{Escape(intro)}</p>\n");
            if (findings.Count > 0)
            {
                WriteTable(findings, includeRule: true, suppression);
            }

            w.Write("</section>\n");
        }

        private void WriteTable(List<Finding> findings, bool includeRule, bool suppression)
        {
            w.Write("<table class=\"findings\">\n<thead><tr>");
            if (includeRule)
            {
                w.Write("<th scope=\"col\">Rule</th>");
            }

            w.Write("<th scope=\"col\">Outcome</th><th scope=\"col\">Severity</th><th scope=\"col\">Account</th><th scope=\"col\">OU</th><th scope=\"col\">Region</th><th scope=\"col\">Resource</th><th scope=\"col\">Message</th>");
            if (suppression)
            {
                w.Write("<th scope=\"col\">Justification</th>");
            }

            if (context.Baseline is not null)
            {
                w.Write("<th scope=\"col\">Since baseline</th>");
            }

            w.Write("</tr></thead>\n<tbody>\n");
            foreach (var finding in findings)
            {
                var subject = finding.Subject;
                w.Write("<tr class=\"finding\">");
                if (includeRule)
                {
                    w.Write($"<td><a href=\"#rule-{Escape(finding.Rule.Id)}\">{Escape(finding.Rule.Id)}</a></td>");
                }

                w.Write($"<td class=\"o-{finding.Outcome.ToName()}\">{Escape(OutcomeLabel(finding.Outcome))}</td>");
                w.Write($"<td data-key=\"{4 - (int)finding.Severity}\" class=\"s-{finding.Severity.ToName()}\">{finding.Severity.ToName()}</td>");
                w.Write($"<td>{Escape(subject.Account ?? string.Empty)}{(subject.AccountName is { } name ? $"<br><small>{Escape(name)}</small>" : string.Empty)}</td>");
                w.Write($"<td>{Escape(subject.OuPath ?? string.Empty)}</td>");
                w.Write($"<td>{Escape(subject.Region ?? string.Empty)}</td>");
                w.Write($"<td class=\"res\">{Escape(ConsoleReporter.IsImplied(subject) ? string.Empty : subject.Resource ?? string.Empty)}</td>");
                w.Write($"<td>{Escape(finding.Message)}{(finding.Code is { } code ? $" <code>{Escape(code)}</code>" : string.Empty)}");
                if (finding.Path is { } path)
                {
                    w.Write($"<br><small class=\"path\">{Escape(path.ToString())}</small>");
                }

                w.Write("</td>");
                if (suppression && finding.Suppression is { } s)
                {
                    w.Write($"<td>{Escape(s.Justification)}<br><small>{(s.Owner is { } owner ? $"owner {Escape(owner)} · " : string.Empty)}{Escape(s.Source)}</small></td>");
                }

                if (context.Baseline is { } baseline)
                {
                    var status = baseline.StatusOf(finding)?.ToName() ?? string.Empty;
                    w.Write($"<td class=\"b-{status}\">{status}</td>");
                }

                w.Write("</tr>\n");
            }

            w.Write("</tbody>\n</table>\n");
        }

        private static string OutcomeLabel(Outcome outcome) => outcome switch
        {
            Outcome.Fail => "fail",
            Outcome.InsufficientData => "insufficient data",
            Outcome.Error => "error",
            Outcome.Pass => "pass",
            _ => "not applicable",
        };

        private static string Count(int n, string noun) => $"{Number(n)} {(n == 1 ? noun : noun + "s")}";

        private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Svg(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
    }

    private const string Css = """
        :root { --fail: #c62828; --error: #6a1b9a; --insufficient: #ef6c00; --pass: #2e7d32; --na: #757575; --line: #d0d7de; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; padding: 16px 24px; max-width: 1400px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 28px; } h3 { font-size: 15px; margin: 0 0 4px; }
        .meta { color: #57606a; margin: 0; } code { font-family: ui-monospace, SFMono-Regular, Consolas, monospace; font-size: 12px; }
        .cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
        .card { border: 1px solid var(--line); border-left: 6px solid var(--na); border-radius: 4px; padding: 6px 12px; min-width: 130px; }
        .card .n { display: block; font-size: 22px; font-weight: 600; }
        .card.o-fail { border-left-color: var(--fail); } .card.o-error { border-left-color: var(--error); } .card.o-insufficientData { border-left-color: var(--insufficient); } .card.o-pass { border-left-color: var(--pass); }
        table { border-collapse: collapse; margin: 6px 0 12px; }
        th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        table.severity td { text-align: right; min-width: 90px; }
        table.findings { width: 100%; }
        table.findings th { cursor: pointer; user-select: none; white-space: nowrap; }
        table.findings th::after { content: " \2195"; color: #8c959f; }
        table.findings th[aria-sort="ascending"]::after { content: " \2191"; color: #1f2328; }
        table.findings th[aria-sort="descending"]::after { content: " \2193"; color: #1f2328; }
        td.res, small.path { word-break: break-all; } small { color: #57606a; }
        .s-critical { color: #fff; background: #8b0000; } .s-high { color: #fff; background: var(--fail); } .s-medium { background: #f9a825; } .s-low { background: #bbdefb; } .s-informational { background: #eceff1; }
        .sev { font-size: 12px; padding: 1px 6px; border-radius: 3px; text-transform: uppercase; }
        td.o-fail { color: var(--fail); font-weight: 600; } td.o-error { color: var(--error); font-weight: 600; } td.o-insufficientData { color: var(--insufficient); font-weight: 600; } td.o-pass { color: var(--pass); } td.b-new { font-weight: 600; }
        .rule { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
        .rule p { margin: 4px 0; } .cat { color: #57606a; font-size: 12px; } .count { color: #57606a; font-weight: normal; }
        figure { margin: 8px 0 16px; } figcaption { font-weight: 600; margin-bottom: 4px; }
        svg.chart { max-width: 100%; height: auto; font-size: 12px; }
        .b-fail { fill: var(--fail); } .b-error { fill: var(--error); } .b-insufficientData { fill: var(--insufficient); } .b-pass { fill: var(--pass); }
        .legend span { margin-right: 12px; white-space: nowrap; }
        .filterbar { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 1; }
        #filter { width: 360px; max-width: 60%; padding: 4px 8px; font: inherit; }
        #shown { color: #57606a; margin-left: 8px; }
        [hidden] { display: none !important; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          .filterbar { display: none; }
          .rule, figure, tr { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          a[href^="http"]::after { content: " (" attr(href) ")"; }
          table.findings th::after { content: none; }
          .s-critical, .s-high, .s-medium, .s-low, .s-informational, .card, rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }

        """;

    private const string Script = """
        (function () {
          'use strict';
          var input = document.getElementById('filter');
          var shown = document.getElementById('shown');
          var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
          var texts = rows.map(function (row) {
            var group = row.closest('.group');
            return (row.textContent + ' ' + (group && group.getAttribute('data-rule') || '')).toLowerCase();
          });
          function apply() {
            var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
            var count = 0;
            rows.forEach(function (row, i) {
              var match = terms.every(function (term) { return texts[i].indexOf(term) >= 0; });
              row.hidden = !match;
              if (match) { count++; }
            });
            document.querySelectorAll('section.rule').forEach(function (section) {
              section.hidden = !section.querySelector('tr.finding:not([hidden])');
            });
            shown.textContent = count + ' of ' + rows.length + ' findings shown';
          }
          input.addEventListener('input', apply);
          function key(cell) { return cell.getAttribute('data-key') || cell.textContent.toLowerCase(); }
          function sort(th) {
            var table = th.closest('table');
            var index = Array.prototype.indexOf.call(th.parentNode.children, th);
            var ascending = th.getAttribute('aria-sort') !== 'ascending';
            table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
            var body = table.tBodies[0];
            var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
              var x = key(a.cells[index]), y = key(b.cells[index]);
              return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
            });
            sorted.forEach(function (row) { body.appendChild(row); });
          }
          document.querySelectorAll('table.findings th').forEach(function (th) {
            th.tabIndex = 0;
            th.addEventListener('click', function () { sort(th); });
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(th); } });
          });
        })();

        """;
}
