using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// The collector gathers exactly what the rules need. The compiler checks it (PE1040: evidence read where the plan
/// does not collect it; PE1041: a numeric comparison on a member the plan records as text), so the shipped pack must
/// compile against the shipped plan without either warning. (<see cref="PackTests"/> also requires no diagnostics at
/// all; this test names the plan's two checks so a failure says which promise broke.)
/// </summary>
public sealed class CollectionPlanCoverageTests
{
    [Fact]
    public void Every_rule_input_is_collected_where_the_rule_reads_it_and_typed_as_it_compares_it()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        Assert.Empty(SraPack.Compilation.Diagnostics
            .Where(d => d.Code is DiagnosticCodes.EvidenceNotCollected or DiagnosticCodes.NumberRecordedAsText)
            .Select(d => d.ToString()));
    }
}
