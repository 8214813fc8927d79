using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Policies.Tests;

/// <summary>Runs every case of every rule test file, and checks that every rule has its cases.</summary>
public sealed class RuleCaseTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in SraPack.Cases)
        {
            data.Add($"{testCase.RuleId} :: {testCase.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_produces_exactly_the_expected_findings(string caseName)
    {
        var testCase = SraPack.Cases.Single(c => $"{c.RuleId} :: {c.Name}" == caseName);
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var rule = SraPack.Compilation.RuleSet!.Find(testCase.RuleId);
        Assert.True(rule is not null, $"{testCase.File}: rule {testCase.RuleId} does not exist");
        var problems = RuleTestSuite.Run(testCase, rule, RepositoryPaths.Fixtures);
        Assert.True(problems.Count == 0, $"{testCase.File}:{testCase.Location.Line}: {caseName}\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void Test_files_are_valid_and_case_names_unique()
    {
        Assert.Empty(SraPack.CaseDiagnostics.Select(d => d.ToString()));
        var duplicates = SraPack.Cases.GroupBy(c => $"{c.RuleId} :: {c.Name}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_rule_has_pass_fail_and_insufficient_data_cases()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var missing = new List<string>();
        foreach (var rule in SraPack.Compilation.RuleSet!.Rules)
        {
            var outcomes = SraPack.Cases.Where(c => c.RuleId == rule.Descriptor.Id).SelectMany(c => c.Expect).Select(e => e.Outcome).ToHashSet();
            foreach (var needed in new[] { Outcome.Pass, Outcome.Fail, Outcome.InsufficientData }.Where(o => !outcomes.Contains(o)))
            {
                missing.Add($"{rule.Descriptor.Id} has no case expecting {needed.ToName()}");
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_test_file_names_a_rule_of_the_pack()
    {
        var unknown = SraPack.Cases.Select(c => c.RuleId).Distinct().Where(id => SraPack.Compilation.RuleSet?.Find(id) is null);
        Assert.Empty(unknown);
    }
}
