using PolicyEngine.Core.Evaluation;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// Writes the findings of one evaluation in one format. Implementations are deterministic: the same result and
/// context give byte-identical output (UTF-8 without BOM, LF line endings, invariant culture, no timestamps).
/// </summary>
public interface IFindingsReporter
{
    /// <summary>The <c>--format</c> word that selects this reporter, e.g. <c>sarif</c>.</summary>
    string Format { get; }

    /// <summary>The usual file extension of this format, with its dot (used in suggestions); by default <c>.</c> and the format word.</summary>
    string FileExtension => "." + Format;

    /// <summary>
    /// Whether this report reads Pass and NotApplicable findings one by one, rather than only their counts in the
    /// summary. When no report does, the evaluation counts them instead of holding them
    /// (<see cref="EvaluationOptions.CountPassing"/>). By default a report lists them only with
    /// <see cref="ReportContext.IncludePassing"/>; one that reads them otherwise (charts per account, a test case per
    /// pass) says so. The shipped pack's tests render every format both ways and require the same bytes.
    /// </summary>
    /// <param name="context">The report's options; <see cref="ReportContext.Baseline"/> is not known yet.</param>
    bool ReadsPassingFindings(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.IncludePassing;
    }

    /// <summary>Writes the report to <paramref name="output"/>. The stream is flushed, not closed.</summary>
    /// <param name="result">The evaluation result.</param>
    /// <param name="context">Tool identity, snapshot path and options.</param>
    /// <param name="output">Where to write.</param>
    void Write(EvaluationResult result, ReportContext context, Stream output);
}

/// <summary>
/// The built-in reporters, by <c>--format</c> word: the one registry the CLI reads (<c>--format</c> accepts exactly these
/// words). A new format is one class implementing <see cref="IFindingsReporter"/> and one line here.
/// </summary>
public static class FindingsReporters
{
    /// <summary>Every built-in reporter, in the order help lists them.</summary>
    public static IReadOnlyList<IFindingsReporter> All { get; } =
    [
        new ConsoleReporter(),
        new JsonReporter(),
        new SarifReporter(),
        new SraVerifyCsvReporter(),
        new HtmlReporter(),
        new OcsfReporter(),
        new AsffReporter(),
        new MarkdownReporter(),
        new JUnitReporter(),
    ];

    /// <summary>The accepted <c>--format</c> words.</summary>
    public static IReadOnlyList<string> Formats { get; } = All.Select(r => r.Format).ToArray();

    /// <summary>Finds a reporter by its format word (exact, case-sensitive); null when there is none.</summary>
    public static IFindingsReporter? Find(string format) =>
        All.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.Ordinal));

    /// <summary>The format word nearest to a misspelt one (<c>htm</c>: <c>html</c>), or null when none is near.</summary>
    public static string? Nearest(string format) => Rules.Binding.YamlValues.Closest(format, Formats);
}
