namespace PolicyEngine.Cli.Tests;

/// <summary><c>evaluate --max-per-rule</c> and the progress line's conditions.</summary>
public sealed class ConsoleScalingCommandTests
{
    [Fact]
    public void Max_per_rule_caps_the_subjects_of_each_rule_and_0_lists_every_one()
    {
        var capped = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on", "none", "--max-per-rule", "2");
        var all = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on", "none", "--max-per-rule", "0");
        Assert.Equal((0, string.Empty), (capped.ExitCode, capped.StandardError));
        Assert.Equal(0, all.ExitCode);
        var cappedLines = capped.StandardOutput.Split('\n');
        var allLines = all.StandardOutput.Split('\n');
        Assert.Contains("   … and 12 more subjects (--max-per-rule 0 lists every one)", cappedLines);
        Assert.DoesNotContain(allLines, l => l.Contains("more subjects (--max-per-rule", StringComparison.Ordinal));
        // Every failing subject is listed with 0: one subject line (three leading spaces and an account) per failure.
        var failures = int.Parse(System.Text.RegularExpressions.Regex.Match(all.StandardOutput, @"\nFailures \((\d+) from").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var section = allLines.SkipWhile(l => !l.StartsWith("Failures (", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0);
        Assert.Equal(failures, section.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^   [0-9]{12} ")));
    }

    [Fact]
    public void A_negative_max_per_rule_is_a_usage_error()
    {
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--max-per-rule", "-1");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("--max-per-rule must be 0 (list every subject) or more.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_progress_line_is_never_shown_in_a_pipe_or_ci_and_disabled_writes_nothing()
    {
        using var writer = new StringWriter();
        Assert.False(ProgressLine.Allowed(writer, _ => null), "not the terminal's standard error");
        Assert.False(ProgressLine.Allowed(Console.Error, name => name == "CI" ? "true" : null), "CI is set");
        using (ProgressLine.Start(writer, "evaluating", enabled: false))
        {
        }

        Assert.Equal(string.Empty, writer.ToString());
    }
}
