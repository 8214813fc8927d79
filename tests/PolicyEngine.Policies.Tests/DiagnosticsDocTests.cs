using System.Text.RegularExpressions;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// docs/diagnostics.md documents every code the product emits: each "PEnnnn" string in the sources under src/ (Core,
/// Scripting, the plan loader and collector in Aws, the CLI) has its "### PEnnnn — title" section, and each section
/// names a code that exists.
/// </summary>
public sealed partial class DiagnosticsDocTests
{
    [GeneratedRegex("\"(PE[0-9]{4})\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex("^### (PE[0-9]{4}) — ", RegexOptions.Multiline)]
    private static partial Regex CodeHeading();

    private static SortedSet<string> CodesInSources() =>
        new(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                            && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)),
            StringComparer.Ordinal);

    private static SortedSet<string> DocumentedCodes() =>
        new(CodeHeading().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "diagnostics.md"))).Select(m => m.Groups[1].Value),
            StringComparer.Ordinal);

    [Fact]
    public void Every_code_emitted_under_src_has_a_section_in_diagnostics_md()
    {
        var sources = CodesInSources();
        Assert.True(sources.Count > 50, $"only {sources.Count} codes found under src/");
        Assert.Empty(sources.Except(DocumentedCodes()));
    }

    [Fact]
    public void Every_section_of_diagnostics_md_names_a_code_of_the_sources()
    {
        Assert.Empty(DocumentedCodes().Except(CodesInSources()));
    }
}
