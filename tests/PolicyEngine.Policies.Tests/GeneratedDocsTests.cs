using PolicyEngine.Core.Documentation;
using PolicyEngine.Tests.Shared;

namespace PolicyEngine.Policies.Tests;

/// <summary>The rules reference and the evidence matrix are generated from the pack and must be current.</summary>
public sealed class GeneratedDocsTests
{
    private const string Regenerate = "Regenerate with: UPDATE_DOCS=1 dotnet test tests/PolicyEngine.Policies.Tests";

    [Fact]
    public void Rules_reference_is_current()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        GeneratedFile.AssertCurrent("docs/rules.md", RulePackDocs.RulesReference(SraPack.Compilation.RuleSet!), Regenerate);
    }

    [Fact]
    public void Evidence_matrix_is_current()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        GeneratedFile.AssertCurrent("docs/evidence-matrix.md", RulePackDocs.EvidenceMatrix(SraPack.Compilation.RuleSet!), Regenerate);
    }
}
