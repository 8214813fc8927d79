using System.Reflection;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// What a reporter needs besides the findings: who wrote the report, which snapshot it is about, and the
/// caller's options. Everything that varies between runs (the version, the terminal) is passed in here so that
/// reporters stay pure functions of their input and golden files stay stable.
/// </summary>
public sealed record ReportContext
{
    /// <summary>The tool name written into reports.</summary>
    public string ToolName { get; init; } = "policy-engine";

    /// <summary>
    /// The tool version written into reports. The CLI passes <see cref="DefaultToolVersion"/>; tests pass a fixed
    /// text so golden files do not change with every build.
    /// </summary>
    public required string ToolVersion { get; init; }

    /// <summary>The project's home page, written as SARIF <c>informationUri</c> when set.</summary>
    public Uri? InformationUri { get; init; }

    /// <summary>The snapshot file as the user gave it; null means <see cref="Evaluation.EvaluationResult.Snapshot"/>.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>
    /// List Pass and NotApplicable findings too. By default reports list only what needs attention: Fail,
    /// InsufficientData and Error. Summaries always count every finding.
    /// </summary>
    public bool IncludePassing { get; init; }

    /// <summary>
    /// Colour the console report with ANSI escapes. The CLI sets this when stdout is a terminal and NO_COLOR
    /// is unset; other reporters ignore it.
    /// </summary>
    public bool UseColor { get; init; }

    /// <summary>
    /// The evaluation's findings classified against a baseline (<c>--baseline</c>): each reporter shows a finding's
    /// status (new, unchanged) and the baseline's fixed findings. Null when no baseline was given.
    /// </summary>
    public Baselines.BaselineComparison? Baseline { get; init; }

    /// <summary>
    /// The report filters in force, in words (e.g. <c>severity high+, service GuardDuty</c>), when the findings were
    /// filtered; summaries say so. Null when nothing was filtered out.
    /// </summary>
    public string? Filter { get; init; }

    /// <summary>
    /// The width of the terminal the console report is written to, for wrapping long lines; null (the default, and
    /// always in a pipe or a file) never wraps.
    /// </summary>
    public int? TerminalWidth { get; init; }

    /// <summary>The console's limit of listed subjects per rule (<c>--max-per-rule</c>); 0 lists every subject.</summary>
    public int MaxPerRule { get; init; } = 10;

    /// <summary>The OCSF version the <c>ocsf</c> format writes: 1.1.0 (the default) or 1.8.0 (<c>--ocsf-version</c>).</summary>
    public string OcsfVersion { get; init; } = "1.1.0";

    /// <summary>
    /// The Security Hub region of the <c>asff</c> findings about subjects without a region of their own (accounts,
    /// the organization, "global" evidence): their product ARN names it (<c>--asff-region</c>, default us-east-1).
    /// Findings about a regional subject name their own region.
    /// </summary>
    public string AsffRegion { get; init; } = "us-east-1";

    /// <summary>
    /// Set when the report is one shard of a run (<c>evaluate --shard</c>): the JSON report then records which shard
    /// and what it was computed from, so <c>policy-engine merge</c> can check its inputs belong together.
    /// </summary>
    public Sharding.ShardStamp? Shard { get; init; }

    /// <summary>The informational version of PolicyEngine.Core (e.g. 0.1.0+commit), or "0.0.0" when unknown.</summary>
    public static string DefaultToolVersion { get; } =
        typeof(ReportContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ReportContext).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
