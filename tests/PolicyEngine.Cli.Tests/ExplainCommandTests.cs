namespace PolicyEngine.Cli.Tests;

/// <summary><c>evaluate --explain RULE-ID [--subject ...]</c>: golden output on the samples, and clear errors.</summary>
public class ExplainCommandTests
{
    private static readonly string ExplainRules = Path.Combine(AppContext.BaseDirectory, "TestData", "explain");

    /// <summary>Error lines only: the shipped pack may carry compiler warnings that are not this test's subject.</summary>
    private static string[] Errors(CliRunner.Result result) =>
        result.StandardError.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Explains_a_forEach_rule_with_where_and_assert_for_one_account()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", "policies/aws-sra",
            "--explain", "SRA-CLOUDTRAIL-02", "--subject", "111111111111");
        Assert.Empty(Errors(result));
        Assert.Equal(0, result.ExitCode);
        // Nodes are located by evidence key, so that sample records added for other rules do not rewrite the golden.
        Golden.AssertMatches("explain-cloudtrail-02.txt", StableLocations.ForSnapshot(CliRunner.Sample("typical-gaps")).Rewrite(result.StandardOutput, "explain"));
    }

    [Fact]
    public void Explains_what_a_predicate_returned_and_logged()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", ExplainRules, "--explain", "ACME-ROLES-01");
        Assert.Equal(string.Empty, result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Golden.AssertMatches("explain-predicate.txt", result.StandardOutput.Replace(ExplainRules.Replace('\\', '/'), "TestData/explain", StringComparison.Ordinal));
    }

    [Fact]
    public void Explain_output_is_deterministic_and_logs_appear_nowhere_else()
    {
        var first = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", ExplainRules, "--explain", "ACME-ROLES-01");
        var second = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", ExplainRules, "--explain", "ACME-ROLES-01");
        Assert.Equal(first.StandardOutput, second.StandardOutput);
        var report = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", ExplainRules, "--format", "json", "--include-passing");
        Assert.DoesNotContain("log:", report.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("account 1", report.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("account 1", report.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rule_id_is_an_error_with_did_you_mean()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", "policies/aws-sra", "--explain", "SRA-CLOUDTRAIL-2");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Equal(["error PE3010: --explain: the pack has no rule 'SRA-CLOUDTRAIL-2'. Did you mean 'SRA-CLOUDTRAIL-02'?"], Errors(result));
    }

    [Fact]
    public void An_unknown_subject_is_an_error_with_did_you_mean()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--rules", ExplainRules, "--explain", "ACME-ROLES-01", "--subject", "111111111112/global");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.StartsWith("error PE3011: --subject: rule ACME-ROLES-01 has no subject '111111111112/global'. Did you mean '111111111111/global'? Write ACCOUNT, ACCOUNT/REGION or ACCOUNT/REGION/RESOURCE; its subjects are: 111111111111/global/111111111111, ",
            result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Subject_without_explain_is_a_usage_error()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--subject", "111111111111");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--subject selects the subjects of --explain; give --explain RULE-ID too.", result.StandardError, StringComparison.Ordinal);
    }
}
