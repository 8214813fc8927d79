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

        var replayed = MarkdownTutorial.Replay(markdown, workingDirectory, words => tool.Run(workingDirectory, words));

        if (replayed == markdown)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(TutorialPath, replayed, new UTF8Encoding(false));
            Assert.Fail("docs/authoring.md showed stale output and has been rewritten; run the tests again without UPDATE_DOCS.");
        }

        Assert.Equal(markdown, replayed);
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
