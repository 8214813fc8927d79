using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Reporting;

namespace PolicyEngine.Cli;

/// <summary>One report to write: a reporter and its destination (null: standard output).</summary>
/// <param name="Reporter">The reporter.</param>
/// <param name="Path">The file to write atomically, or null for standard output.</param>
internal sealed record ReportOutput(IFindingsReporter Reporter, string? Path);

/// <summary>
/// Reads the repeatable <c>--format FORMAT[=DEST]</c> values with <c>--output</c>: a format without a destination goes to
/// <c>--output</c> when it is given, else to standard output. At most one report goes to standard output, and no two to
/// one file. Mistakes are PE9004/PE9005 diagnostics located at the option, never exceptions.
/// </summary>
internal static class ReportOutputs
{
    /// <summary>The destination word for standard output: <c>--format json=-</c>.</summary>
    public const string StandardOutput = "-";

    public static IReadOnlyList<ReportOutput>? Parse(IReadOnlyList<string>? formats, string? output, ICollection<Diagnostic> diagnostics)
    {
        formats = formats is { Count: > 0 } ? formats : ["console"];
        var outputs = new List<ReportOutput>();
        var ok = true;
        var withoutDestination = formats.Count(f => !f.Contains('=', StringComparison.Ordinal));
        foreach (var value in formats)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? value : value[..equals];
            var destination = equals < 0 ? output : value[(equals + 1)..];
            var reporter = FindingsReporters.Find(name);
            if (reporter is null)
            {
                var suggestion = FindingsReporters.Nearest(name) is { } closest ? $" Did you mean '{closest}'?" : string.Empty;
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportFormatUnknown, Location(value),
                    $"Unknown report format '{name}'.{suggestion} Use one of: {string.Join(", ", FindingsReporters.Formats)}, optionally with a destination: --format sarif=results.sarif."));
                ok = false;
                continue;
            }

            if (equals >= 0 && destination!.Length == 0)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportDestinationConflict, Location(value),
                    $"'{value}' names no destination after '='; write --format {name}={name}-report{Extension(reporter)}, or --format {name}={StandardOutput} for standard output."));
                ok = false;
                continue;
            }

            outputs.Add(new ReportOutput(reporter, destination == StandardOutput ? null : destination));
        }

        if (output is not null && withoutDestination == 0)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportDestinationConflict, new SourceLocation("--output", 0, 0),
                $"--output '{output}' names the file of a --format without a destination, but every --format has one; remove --output or write --format FORMAT without '='."));
            ok = false;
        }

        if (output is not null && withoutDestination > 1)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportDestinationConflict, new SourceLocation("--output", 0, 0),
                $"--output '{output}' can hold one report, but {withoutDestination} formats have no destination; give each its own: --format sarif=results.sarif --format json=results.json."));
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        if (outputs.Count(o => o.Path is null) > 1)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportDestinationConflict, new SourceLocation("--format", 0, 0),
                $"{outputs.Count(o => o.Path is null)} reports ({string.Join(", ", outputs.Where(o => o.Path is null).Select(o => o.Reporter.Format))}) would go to standard output; "
                + "give all but one a file: --format FORMAT=FILE."));
            ok = false;
        }

        foreach (var twice in outputs.Where(o => o.Path is not null).GroupBy(o => System.IO.Path.GetFullPath(o.Path!), PathComparer).Where(g => g.Count() > 1))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ReportDestinationConflict, new SourceLocation("--format", 0, 0),
                $"{string.Join(" and ", twice.Select(o => o.Reporter.Format))} would both be written to '{twice.First().Path}'; give each report its own file."));
            ok = false;
        }

        return ok ? outputs : null;
    }

    private static SourceLocation Location(string value) => new($"--format {value}", 0, 0);

    private static string Extension(IFindingsReporter reporter) => reporter.FileExtension;

    private static StringComparer PathComparer => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
