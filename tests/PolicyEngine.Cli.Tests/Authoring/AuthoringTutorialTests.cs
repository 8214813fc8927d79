using System.Text;

namespace PolicyEngine.Cli.Tests.Authoring;

/// <summary>
/// docs/authoring.md is executed, not just read: every file it shows is written and every command it shows is run
/// with the packed and installed tool, from an empty directory outside the repository, and what the commands print
/// must be what the tutorial shows. UPDATE_DOCS=1 rewrites the shown output and fails once, saying so.
/// </summary>
public sealed class AuthoringTutorialTests
{
    private static readonly string TutorialPath = Path.Combine(CliRunner.RepoRoot, "docs", "authoring.md");

    [Fact]
    public void Every_command_of_the_tutorial_prints_what_the_tutorial_shows()
    {
        var tool = InstalledTool.Instance;
        var workingDirectory = tool.NewWorkingDirectory("tutorial");
        var markdown = File.ReadAllText(TutorialPath).ReplaceLineEndings("\n");

        var results = new List<(string Command, InstalledTool.Result Result)>();
        var replayed = MarkdownTutorial.Replay(markdown, workingDirectory, words =>
        {
            var result = tool.Run(workingDirectory, words);
            results.Add((string.Join(' ', words), result));
            return result;
        });

        if (replayed != markdown)
        {
            if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            {
                File.WriteAllText(TutorialPath, replayed, new UTF8Encoding(false));
                Assert.Fail("docs/authoring.md showed stale output and has been rewritten; run the tests again without UPDATE_DOCS.");
            }

            Assert.Equal(markdown, replayed);
        }

        // What the tutorial promises, beyond printing what it shows: written from an empty directory with the
        // installed tool only, the pack validates, its tests pass with every outcome covered, and it runs with the
        // shipped pack.
        Assert.All(results.Where(r => r.Command.StartsWith("validate", StringComparison.Ordinal) || r.Command.StartsWith("test", StringComparison.Ordinal) || r.Command.StartsWith("new", StringComparison.Ordinal) || r.Command.StartsWith("schemas", StringComparison.Ordinal)),
            r => Assert.True(r.Result.ExitCode == 0, $"{r.Command} exited {r.Result.ExitCode}: {r.Result.StandardError}"));
        var coverage = results.Single(r => r.Command == "test acme --coverage").Result.StandardOutput;
        Assert.Contains("ACME-S3-01", coverage, StringComparison.Ordinal);
        foreach (var outcome in new[] { "pass", "fail", "insufficientData" })
        {
            Assert.Contains(outcome, coverage, StringComparison.Ordinal);
        }

        Assert.Contains("ACME-S3-01", results.Single(r => r.Command.StartsWith("list-rules --rules acme", StringComparison.Ordinal)).Result.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(workingDirectory, "rule-tests.xml")));

        // The workflow's policy-engine steps run as the workflow would run them, in the repository the tutorial built.
        var workflow = File.ReadAllLines(Path.Combine(workingDirectory, ".github", "workflows", "policy.yml"));
        var steps = workflow.Select(l => l.Trim()).Where(l => l.StartsWith("- run: policy-engine ", StringComparison.Ordinal)).Select(l => l["- run: ".Length..]).ToList();
        Assert.Equal(3, steps.Count);
        foreach (var step in steps)
        {
            var result = tool.Run(workingDirectory, MarkdownTutorial.Words(step).Skip(1));
            Assert.True(result.ExitCode == 0, $"workflow step '{step}' exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }

        Assert.True(File.Exists(Path.Combine(workingDirectory, "results.sarif")));
    }

    [Fact]
    public void Markdown_tutorial_words_split_like_a_shell()
    {
        Assert.Equal(["policy-engine", "test", "--filter", "ACME S3"], MarkdownTutorial.Words("policy-engine test --filter 'ACME S3'"));
        Assert.Equal(["a", "b c", "d"], MarkdownTutorial.Words("a \"b c\"  d"));
        Assert.Throws<InvalidDataException>(() => MarkdownTutorial.Words("a 'b"));
    }

    [Fact]
    public void Markdown_tutorial_replays_files_and_renders_real_output()
    {
        var directory = Path.Combine(Path.GetTempPath(), "tutorial-unit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            const string markdown = "# T\n\n```yaml file=acme/a.yaml\nid: A\n```\n\n```console\n$ policy-engine x 'y z'\nstale\n$ policy-engine fail\n```\n";
            var seen = new List<string>();
            var replayed = MarkdownTutorial.Replay(markdown, directory, words =>
            {
                seen.Add(string.Join('|', words));
                return words[0] == "fail" ? new InstalledTool.Result(2, string.Empty, "error: no\n") : new InstalledTool.Result(0, "fresh\n", string.Empty);
            });

            Assert.Equal("id: A\n", File.ReadAllText(Path.Combine(directory, "acme", "a.yaml")));
            Assert.Equal(["x|y z", "fail"], seen);
            Assert.Equal("# T\n\n```yaml file=acme/a.yaml\nid: A\n```\n\n```console\n$ policy-engine x 'y z'\nfresh\n$ policy-engine fail\nerror: no\n[exit code 2]\n```\n", replayed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
