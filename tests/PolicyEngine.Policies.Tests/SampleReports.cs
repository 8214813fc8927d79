using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.OrgGenerator;

namespace PolicyEngine.Policies.Tests;

/// <summary>What the tests that compare whole reports share: loading a snapshot that must load, and rendering a report to text.</summary>
internal static class SampleReports
{
    /// <summary>Loads a snapshot file, failing the test on any diagnostic.</summary>
    public static Snapshot Load(string path)
    {
        var diagnostics = new List<Diagnostic>();
        var snapshot = SnapshotLoader.LoadFile(path, diagnostics);
        Assert.Empty(diagnostics.Select(d => d.ToString()));
        return snapshot!;
    }

    /// <summary>
    /// bench/'s seeded generator: 40 accounts beside the sample's 7, 3 regions, 300 Config items, failing and denied
    /// services; written to a temporary file, loaded, and deleted afterwards.
    /// </summary>
    public static Snapshot Generated(int seed)
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-engine-generated-{Guid.NewGuid():N}.json");
        try
        {
            OrganizationGenerator.WriteFile(path, new GeneratorOptions { Accounts = 40, RegionCount = 3, Resources = 300, FailureShare = 0.2, ErrorShare = 0.1, Seed = seed });
            return Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The report's text, as the reporter writes it.</summary>
    public static string Render(IFindingsReporter reporter, EvaluationResult result, ReportContext context)
    {
        using var stream = new MemoryStream();
        reporter.Write(result, context, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
