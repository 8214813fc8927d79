using System.Globalization;
using System.Text;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// An evaluation as a JUnit test report (written by <see cref="JUnitXml"/>), so CI shows each check as a test: one
/// testsuite per rule that has findings (named by its id, in id order), one testcase per (rule, subject) with
/// <c>classname</c> the rule id and <c>name</c> the subject (account, region, and the resource when it says more).
/// <list type="bullet">
/// <item>Pass: a testcase without a child (always listed, whatever <see cref="ReportContext.IncludePassing"/> says: a
/// test report counts what passed).</item>
/// <item>Fail, InsufficientData and Error: a <c>&lt;failure&gt;</c> whose <c>type</c> is the outcome and whose
/// <c>message</c> is the finding's. Missing evidence is not a pass, so it fails the test as it fails the gate.</item>
/// <item>Suppressed (any outcome): <c>&lt;skipped&gt;</c> with the suppression's justification.</item>
/// <item>NotApplicable: left out.</item>
/// </list>
/// When one subject has several findings of a rule, the later testcases' names end with <c> #2</c>, <c> #3</c>…, so that
/// every (classname, name) pair is unique, as CI reporters expect.
/// </summary>
public sealed class JUnitReporter : IFindingsReporter
{
    /// <inheritdoc/>
    public string Format => "junit";

    /// <inheritdoc/>
    /// <remarks>Every Pass is a test case.</remarks>
    public bool ReadsPassingFindings(ReportContext context) => true;

    /// <inheritdoc/>
    public string FileExtension => ".xml";

    /// <inheritdoc/>
    public void Write(EvaluationResult result, ReportContext context, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var snapshot = ReportWriting.SnapshotPath(result, context);
        var suites = new List<JUnitSuite>();
        foreach (var rule in result.Findings.Where(f => f.Outcome != Outcome.NotApplicable).GroupBy(f => f.Rule.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var cases = new List<JUnitCase>();
            foreach (var finding in rule)
            {
                var name = SubjectName(finding.Subject);
                var occurrence = seen[name] = seen.GetValueOrDefault(name) + 1;
                cases.Add(new JUnitCase(
                    finding.Rule.Id,
                    occurrence == 1 ? name : FormattableString.Invariant($"{name} #{occurrence}"),
                    snapshot,
                    finding.Line > 0 ? finding.Line : null,
                    Result(finding, context.Baseline?.StatusOf(finding), snapshot)));
            }

            suites.Add(new JUnitSuite(rule.Key, null, cases));
        }

        JUnitXml.Write(output, $"{context.ToolName} evaluate {snapshot}", suites);
    }

    /// <summary>The testcase name: account, region and resource as the console shows them; the organization otherwise.</summary>
    private static string SubjectName(FindingSubject subject)
    {
        var parts = ConsoleReporter.SubjectParts(subject).ToArray();
        var shown = subject.Kind == TargetKind.Evidence ? parts.Take(2) : parts;
        return string.Join(' ', shown) is { Length: > 0 } name ? name : subject.Resource ?? "organization";
    }

    private static JUnitResult? Result(Finding finding, BaselineStatus? status, string snapshot)
    {
        if (finding.Suppression is { } suppression)
        {
            return new JUnitResult(JUnitResultKind.Skipped, $"suppressed by {suppression.Source}{(suppression.Owner is { } owner ? $" (owner {owner})" : string.Empty)}: {suppression.Justification}", null, null);
        }

        if (!ReportWriting.NeedsAttention(finding.Outcome))
        {
            return null;
        }

        var details = new StringBuilder();
        details.Append(CultureInfo.InvariantCulture, $"{finding.Severity.ToName()} {finding.Outcome.ToName()}");
        if (status is { } known)
        {
            details.Append(", ").Append(known.ToName()).Append(" since the baseline");
        }

        details.Append('\n').Append(finding.Message).Append('\n');
        if (finding.Line > 0)
        {
            details.Append(CultureInfo.InvariantCulture, $"at {snapshot}:{finding.Line}:{finding.Column}");
            details.Append(finding.Path is null ? "\n" : $" ({finding.Path})\n");
        }
        else if (finding.Path is not null)
        {
            details.Append(CultureInfo.InvariantCulture, $"at {snapshot} ({finding.Path})\n");
        }

        if (finding.Code is not null)
        {
            details.Append("code: ").Append(finding.Code).Append('\n');
        }

        if (finding.Rule.Remediation.Length > 0)
        {
            details.Append("remediation: ").Append(finding.Rule.Remediation).Append('\n');
        }

        if (finding.Rule.HelpUri is not null)
        {
            details.Append("help: ").Append(finding.Rule.HelpUri).Append('\n');
        }

        return new JUnitResult(JUnitResultKind.Failure, finding.Message, finding.Outcome.ToName(), details.ToString());
    }
}
