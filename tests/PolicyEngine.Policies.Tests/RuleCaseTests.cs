using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// Runs every case of every rule test file through <see cref="RuleTestRunner"/> (the runner behind
/// <c>policy-engine test</c>), and checks that every rule's cases reach pass, fail and insufficientData.
/// </summary>
public sealed class RuleCaseTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in SraPack.Cases)
        {
            data.Add(testCase.FullName);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_produces_exactly_the_expected_findings(string caseName)
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var result = SraPack.Run.Results.Single(r => r.Case.FullName == caseName);
        Assert.True(result.Passed, $"{result.Case.Location}: {caseName}\n  " + string.Join("\n  ", RuleTestReporter.DescribeFailure(result)));
    }

    [Fact]
    public void Test_files_are_valid_and_case_names_unique()
    {
        Assert.Empty(SraPack.CaseDiagnostics.Select(d => d.ToString()));
        Assert.Empty(SraPack.Run.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Every_rule_has_a_test_file_and_its_cases_reach_pass_fail_and_insufficient_data()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var coverage = SraPack.Run.Coverage!;
        Assert.Equal(SraPack.Compilation.RuleSet!.Rules.Select(r => r.Descriptor.Id).Order(StringComparer.Ordinal), coverage.Select(c => c.RuleId));
        var missing = new List<string>();
        foreach (var rule in coverage)
        {
            foreach (var needed in new[] { Outcome.Pass, Outcome.Fail, Outcome.InsufficientData }.Where(o => !rule.Reached.Contains(o)))
            {
                missing.Add($"{rule.RuleId} has no case whose findings reach {needed.ToName()}" + (rule.HasTestFile ? string.Empty : " (no test file)"));
            }
        }

        Assert.Empty(missing);
    }
}
