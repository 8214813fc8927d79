using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>Plumbing shared by the reporters: encodings, writer settings and the finding filter.</summary>
internal static class ReportWriting
{
    /// <summary>UTF-8 without a byte order mark.</summary>
    public static UTF8Encoding Utf8 { get; } = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Indented JSON with LF line endings. The relaxed encoder keeps quotes, apostrophes and non-ASCII text
    /// readable (<c>$['evidence']</c> rather than <c>$[\u0027evidence\u0027]</c>); reports are files, never
    /// embedded in HTML.
    /// </summary>
    public static JsonWriterOptions JsonOptions { get; } = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A text writer over <paramref name="output"/>: UTF-8 without BOM, LF, invariant culture, left open.</summary>
    public static StreamWriter TextWriter(Stream output) =>
        new(output, Utf8, bufferSize: 4096, leaveOpen: true) { NewLine = "\n", AutoFlush = false };

    /// <summary>Writes a JSON document followed by a final newline, then flushes.</summary>
    public static void WriteJson(Stream output, Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(output, JsonOptions))
        {
            write(writer);
            writer.Flush();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    /// <summary>The snapshot path to write: the context's, else the result's.</summary>
    public static string SnapshotPath(EvaluationResult result, ReportContext context) =>
        context.SnapshotPath ?? result.Snapshot;

    /// <summary>
    /// The time reports write: when the snapshot was collected, or 1970-01-01 when it does not say (the engine's
    /// clock, as for suppression expiry). Never the wall clock: the same input gives the same bytes.
    /// </summary>
    public static DateTimeOffset CollectedAt(EvaluationResult result) => (result.CollectedAt ?? DateTimeOffset.UnixEpoch).ToUniversalTime();

    /// <summary>True for outcomes listed by default (Fail, InsufficientData, Error).</summary>
    public static bool NeedsAttention(Outcome outcome) => outcome is Outcome.Fail or Outcome.InsufficientData or Outcome.Error;

    /// <summary>The findings a report lists, in the result's order.</summary>
    public static IEnumerable<Finding> Listed(EvaluationResult result, ReportContext context) =>
        result.Findings.Where(f => context.IncludePassing || NeedsAttention(f.Outcome));

    /// <summary>The rules a report describes: those that ran, then any others the findings reference, by id.</summary>
    public static IReadOnlyList<RuleDescriptor> Rules(EvaluationResult result)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rules = new List<RuleDescriptor>();
        foreach (var rule in result.Rules.Concat(result.Findings.Select(f => f.Rule)))
        {
            if (seen.Add(rule.Id))
            {
                rules.Add(rule);
            }
        }

        rules.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return rules;
    }

    /// <summary>
    /// The fixed findings of the baseline as findings, for the formats that close them (asff archives them, ocsf
    /// resolves them): the rule as it is now (or as the baseline names it, when it no longer runs), the subject and
    /// message the baseline wrote, and the outcome its subject has now when it still has one (Pass, NotApplicable),
    /// else the baseline's.
    /// </summary>
    /// <remarks>
    /// The current outcome is looked up among the findings of the same rule and subject only: a fingerprint hashes the
    /// rule id, account, region and resource, so no other finding can carry it, and a large organization's millions of
    /// Pass and NotApplicable findings are neither hashed nor scanned once per fixed finding.
    /// </remarks>
    public static IReadOnlyList<Finding> FixedFindings(IReadOnlyList<ReportedFinding> gone, EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(gone);
        ArgumentNullException.ThrowIfNull(result);
        if (gone.Count == 0)
        {
            return [];
        }

        var subjects = gone.Select(f => (f.RuleId, f.Account, f.Region, f.Resource)).ToHashSet();
        var now = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var finding in result.Findings)
        {
            if (finding.Outcome is Outcome.Pass or Outcome.NotApplicable
                && subjects.Contains((finding.Rule.Id, finding.Subject.Account, finding.Subject.Region, finding.Subject.Resource)))
            {
                now.TryAdd(finding.Fingerprint, finding);
            }
        }

        var rules = result.Rules.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. gone.Select(f => FixedFinding(f, rules.GetValueOrDefault(f.RuleId), now.GetValueOrDefault(f.Fingerprint)))];
    }

    private static Finding FixedFinding(ReportedFinding gone, RuleDescriptor? current, Finding? now)
    {
        var rule = current ?? new RuleDescriptor
        {
            Id = gone.RuleId,
            Title = gone.RuleId,
            MessageFormat = string.Empty,
            Category = gone.Category,
            DefaultSeverity = gone.Severity,
        };
        return new Finding
        {
            Rule = rule,
            Outcome = now?.Outcome ?? gone.Outcome,
            Severity = gone.Severity,
            Subject = new FindingSubject
            {
                Kind = gone.Kind ?? (gone.Resource is not null && gone.Resource.StartsWith("arn:", StringComparison.Ordinal) ? TargetKind.Resource : TargetKind.Evidence),
                Account = gone.Account,
                Region = gone.Region,
                Resource = gone.Resource,
                OuPath = gone.OuPath,
            },
            Message = gone.Message,
            Fingerprint = gone.Fingerprint,
        };
    }

    /// <summary>Writes a string property unless the value is null (reports omit nulls, never write them).</summary>
    public static void WriteOptional(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
