using PolicyEngine.Cli;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// The shipped pack, compiled once for all tests, and its test cases, run once with coverage by the same runner
/// <c>policy-engine test</c> uses.
/// </summary>
internal static class SraPack
{
    private static readonly Lazy<RuleCompilation> LazyCompilation = new(() =>
        new RuleCompiler(DefaultPaths.LoadCatalog(RepositoryPaths.Collectors)).CompileDirectories([RepositoryPaths.Policies]));

    private static readonly Lazy<(IReadOnlyList<RuleTestCase> Cases, IReadOnlyList<Diagnostic> Diagnostics)> LazyCases = new(LoadCases);

    private static readonly Lazy<RuleTestRun> LazyRun = new(() =>
        Runner.Run(TestFiles.ToArray(), Cases, CaseDiagnostics, new RuleTestRunOptions { Coverage = true }));

    public static RuleCompilation Compilation => LazyCompilation.Value;

    /// <summary>The runner over the compiled pack and the shipped fixtures.</summary>
    public static RuleTestRunner Runner => new(Compilation.RuleSet, new RuleTestFixtures([RepositoryPaths.Fixtures]));

    public static IReadOnlyList<RuleTestCase> Cases => LazyCases.Value.Cases;

    public static IReadOnlyList<Diagnostic> CaseDiagnostics => LazyCases.Value.Diagnostics;

    /// <summary>Every case run once, with coverage.</summary>
    public static RuleTestRun Run => LazyRun.Value;

    public static IEnumerable<string> TestFiles =>
        Directory.EnumerateFiles(RepositoryPaths.Policies, "*.tests.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static (IReadOnlyList<RuleTestCase>, IReadOnlyList<Diagnostic>) LoadCases()
    {
        var diagnostics = new List<Diagnostic>();
        var cases = Runner.Load(TestFiles, diagnostics);
        return (cases, diagnostics);
    }
}
