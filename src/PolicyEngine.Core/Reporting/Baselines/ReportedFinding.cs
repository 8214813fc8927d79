using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting.Baselines;

/// <summary>A finding as a JSON report (<c>--format json</c>) wrote it: what a baseline and <c>diff</c> read back.</summary>
public sealed record ReportedFinding
{
    /// <summary>The finding's fingerprint.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The rule id.</summary>
    public required string RuleId { get; init; }

    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>The effective severity.</summary>
    public required RuleSeverity Severity { get; init; }

    /// <summary>The rule's category (service).</summary>
    public string Category { get; init; } = string.Empty;

    /// <summary>The rendered message.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>The subject's kind, when the report says it (a fixed finding's report entry need not).</summary>
    public TargetKind? Kind { get; init; }

    /// <summary>The subject's account.</summary>
    public string? Account { get; init; }

    /// <summary>The subject's region.</summary>
    public string? Region { get; init; }

    /// <summary>The subject's resource.</summary>
    public string? Resource { get; init; }

    /// <summary>The account's OU path.</summary>
    public string? OuPath { get; init; }

    /// <summary>The snapshot path of the finding, as the report wrote it.</summary>
    public string? Path { get; init; }

    /// <summary>True when the report says the finding was suppressed.</summary>
    public bool Suppressed { get; init; }
}

/// <summary>
/// A JSON findings report read back from a file: the baseline of <c>evaluate --baseline</c> and either side of
/// <c>diff</c>. Reading never throws for bad input: problems are PE9001–PE9003 diagnostics located in the file.
/// </summary>
public sealed class ReportedFindings
{
    private ReportedFindings(string file, IReadOnlyList<ReportedFinding> findings)
    {
        File = file;
        Findings = findings;
    }

    /// <summary>The file, as the user named it.</summary>
    public string File { get; }

    /// <summary>The findings the report lists, in its order.</summary>
    public IReadOnlyList<ReportedFinding> Findings { get; }

    /// <summary>The same report with only the findings <paramref name="keep"/> accepts (report filters apply to baselines too).</summary>
    public ReportedFindings Where(Func<ReportedFinding, bool> keep) => new(File, Findings.Where(keep).ToArray());

    /// <summary>Reads a JSON findings report; null (with an error diagnostic) when it cannot be used.</summary>
    public static ReportedFindings? Load(string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportUnreadable, new SourceLocation(path, 0, 0),
                $"Cannot read the report: {ex.Message} Give the path of a report written with --format json."));
            return null;
        }

        return Parse(path, bytes, diagnostics);
    }

    /// <summary>Reads a JSON findings report from its bytes; <paramref name="path"/> only names it in diagnostics.</summary>
    public static ReportedFindings? Parse(string path, ReadOnlyMemory<byte> utf8, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportUnreadable, new SourceLocation(path, line, column),
                "The report is not valid JSON; give a report written with --format json."));
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("$schema", out var schema)
                || schema.ValueKind != JsonValueKind.String || schema.GetString() != JsonReporter.SchemaId
                || !root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportNotFindings, new SourceLocation(path, 1, 1),
                    $"The file is not a PolicyEngine findings report (a JSON object with \"$schema\": \"{JsonReporter.SchemaId}\" and a \"findings\" array); "
                    + "give a report written with --format json."));
                return null;
            }

            var list = new List<ReportedFinding>(findings.GetArrayLength());
            var index = 0;
            foreach (var finding in findings.EnumerateArray())
            {
                if (Read(finding) is { } read)
                {
                    list.Add(read);
                }
                else
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportWithoutFingerprints, new SourceLocation(path, 0, 0),
                        $"Finding {index} of the report ($['findings'][{index}]) has no valid 'fingerprint', 'ruleId', 'outcome' or 'severity': the report was written "
                        + "by an older version or edited. Evaluate the earlier snapshot again with this version, with --format json, to make a baseline."));
                    return null;
                }

                index++;
            }

            return new ReportedFindings(path, list);
        }
    }

    private static ReportedFinding? Read(JsonElement finding)
    {
        if (finding.ValueKind != JsonValueKind.Object
            || Text(finding, "fingerprint") is not { Length: > 0 } fingerprint
            || Text(finding, "ruleId") is not { } ruleId
            || Text(finding, "outcome") is not { } outcomeText || !ModelNames.TryParseOutcome(outcomeText, out var outcome)
            || Text(finding, "severity") is not { } severityText || !RuleSeverityNames.TryParse(severityText, out var severity))
        {
            return null;
        }

        var subject = finding.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var location = finding.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
        return new ReportedFinding
        {
            Fingerprint = fingerprint,
            RuleId = ruleId,
            Outcome = outcome,
            Severity = severity,
            Category = Text(finding, "category") ?? string.Empty,
            Message = Text(finding, "message") ?? string.Empty,
            Kind = Text(subject, "kind") is { } kind && ModelNames.TryParseTargetKind(kind, out var parsed) ? parsed : null,
            Account = Text(subject, "account"),
            Region = Text(subject, "region"),
            Resource = Text(subject, "resource"),
            OuPath = Text(subject, "ouPath"),
            Path = Text(location, "path"),
            Suppressed = finding.TryGetProperty("suppression", out var suppression) && suppression.ValueKind == JsonValueKind.Object,
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
