using PolicyEngine.Cli;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Policies.Tests;

/// <summary>The shipped pack, compiled once for all tests, and its test cases.</summary>
internal static class SraPack
{
    private static readonly Lazy<RuleCompilation> LazyCompilation = new(() =>
        new RuleCompiler(DefaultPaths.LoadCatalog(RepositoryPaths.Collectors)).CompileDirectories([RepositoryPaths.Policies]));

    private static readonly Lazy<(IReadOnlyList<RuleTestCase> Cases, IReadOnlyList<Diagnostic> Diagnostics)> LazyCases = new(LoadCases);

    public static RuleCompilation Compilation => LazyCompilation.Value;

    public static IReadOnlyList<RuleTestCase> Cases => LazyCases.Value.Cases;

    public static IReadOnlyList<Diagnostic> CaseDiagnostics => LazyCases.Value.Diagnostics;

    public static IEnumerable<string> TestFiles =>
        Directory.EnumerateFiles(RepositoryPaths.Policies, "*.tests.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static (IReadOnlyList<RuleTestCase>, IReadOnlyList<Diagnostic>) LoadCases()
    {
        var diagnostics = new List<Diagnostic>();
        var cases = TestFiles.SelectMany(f => RuleTestSuite.Load(f, diagnostics)).ToList();
        return (cases, diagnostics);
    }
}
