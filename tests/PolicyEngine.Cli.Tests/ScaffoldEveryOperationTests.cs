using PolicyEngine.Cli.Commands;
using PolicyEngine.Core.Authoring;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// <c>policy-engine new rule</c> for every operation of the shipped collection plan and every target that reads an
/// operation: the scaffolded rule reads its evidence where the plan collects it, so <c>validate</c> reports no error
/// and no warning (regression: <c>kms:GetKeyRotationStatus</c>, collected in the management account only, scaffolded
/// an account-region rule over every account that validate flagged with PE1040), and its pass, fail and
/// insufficientData cases pass under <c>policy-engine test</c>.
/// </summary>
public sealed class ScaffoldEveryOperationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-scaffold-all-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string> Targets() => new() { "organization", "account", "account-region", "evidence" };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_plan_operation_scaffolds_a_rule_that_validates_with_no_diagnostic_and_whose_cases_pass(string target)
    {
        var planDiagnostics = new List<Diagnostic>();
        var catalog = CommonOptions.LoadCatalog(null, planDiagnostics);
        Assert.Empty(planDiagnostics);
        Assert.NotNull(catalog);
        var kind = Enum.GetValues<TargetKind>().Single(k => k.ToName() == target);
        var pack = Path.Combine(_dir.FullName, target);
        Directory.CreateDirectory(pack);
        var operations = catalog.Operations;
        Assert.True(operations.Count > 90, $"the shipped plan has {operations.Count} operations");
        var number = 0;
        foreach (var operation in operations)
        {
            var id = $"ACME-SCAFFOLD-{++number:D3}";
            var request = new RuleScaffoldRequest
            {
                Id = id,
                Target = kind,
                Operation = operation,
                Sites = catalog.Find(operation)!.Sites,
                RuleSchemaPath = "./.schemas/rule.schema.json",
            };
            File.WriteAllText(Path.Combine(pack, id + ".yaml"), RuleScaffold.RuleText(request));
            File.WriteAllText(Path.Combine(pack, id + ".tests.yaml"), RuleScaffold.TestsText(request));
        }

        var validate = CliRunner.Run("validate", "--rules", "builtin", "--rules", pack);
        Assert.True(validate.StandardError.Length == 0, validate.StandardError);
        Assert.Equal(0, validate.ExitCode);
        Assert.EndsWith(" rules compiled, 0 errors, 0 warnings.\n", validate.StandardOutput, StringComparison.Ordinal);

        var test = CliRunner.Run("test", pack);
        Assert.True(test.ExitCode == 0, test.StandardOutput + test.StandardError);
        Assert.EndsWith($"{number} test files, {3 * number} cases: {3 * number} passed, 0 failed.\n", test.StandardOutput, StringComparison.Ordinal);
    }
}
