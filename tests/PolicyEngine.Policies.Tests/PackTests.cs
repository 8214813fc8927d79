namespace PolicyEngine.Policies.Tests;

/// <summary>The shipped pack itself.</summary>
public sealed class PackTests
{
    [Fact]
    public void Shipped_pack_compiles_with_zero_diagnostics()
    {
        Assert.Empty(SraPack.Compilation.Diagnostics.Select(d => d.ToString()));
        Assert.NotEmpty(SraPack.Compilation.RuleSet!.Rules);
    }

    /// <summary>
    /// A definitive service answer (Macie not enabled, no Security Lake data lake, not subscribed to Security Hub, no
    /// Shield subscription) gets one outcome across a service's rules; a rule that differs says why, naming the code.
    /// </summary>
    [Fact]
    public void Service_answers_get_the_pack_decision_or_a_note()
    {
        var deviations = PolicyEngine.Core.Documentation.ServiceAnswers.Deviations(SraPack.Compilation.RuleSet!);
        Assert.True(deviations.Count == 0, string.Join("\n", deviations));
    }

    [Fact]
    public void Every_rule_file_starts_with_the_schema_line_and_is_named_after_its_id()
    {
        var problems = new List<string>();
        foreach (var rule in SraPack.Compilation.RuleSet!.Rules)
        {
            var path = Path.Combine(RepositoryPaths.Policies, rule.Descriptor.SourceFile);
            var first = File.ReadLines(path).First();
            if (!first.StartsWith("# yaml-language-server: $schema=", StringComparison.Ordinal) || !first.EndsWith("schemas/rule.schema.json", StringComparison.Ordinal))
            {
                problems.Add($"{rule.Descriptor.SourceFile}: first line must be '# yaml-language-server: $schema=<relative path>/schemas/rule.schema.json'");
            }

            if (Path.GetFileNameWithoutExtension(path) != rule.Descriptor.Id)
            {
                problems.Add($"{rule.Descriptor.SourceFile}: file name must be {rule.Descriptor.Id}.yaml");
            }

            if (!File.Exists(Path.ChangeExtension(path, ".tests.yaml")))
            {
                problems.Add($"{rule.Descriptor.SourceFile}: missing {rule.Descriptor.Id}.tests.yaml beside it");
            }
        }

        Assert.Empty(problems);
    }
}
