using System.Text;
using PolicyEngine.Tests.Shared;

namespace PolicyEngine.Cli.Tests;

/// <summary>
/// The README's example output (between the <c>example-output</c> markers) is the real output of the README's first
/// command, shortened to the first findings of each section; UPDATE_DOCS=1 regenerates it.
/// </summary>
public sealed class ReadmeExampleTests
{
    private const string Start = "<!-- example-output:start -->\n";
    private const string End = "<!-- example-output:end -->";
    private const int EntriesPerSection = 4;

    [Fact]
    public void Readme_example_output_is_the_output_of_its_first_command()
    {
        // The README's command: dotnet run --project src/PolicyEngine.Cli -- evaluate samples/typical-gaps.json --fail-on none
        var result = CliRunner.Run("evaluate", "samples/typical-gaps.json", "--fail-on", "none");
        Assert.True(result.ExitCode == 0, result.StandardError);

        var readme = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md"));
        Assert.Contains("evaluate samples/typical-gaps.json --fail-on none", readme, StringComparison.Ordinal);
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no example-output:start/end markers");

        var expected = string.Concat(readme.AsSpan(0, start + Start.Length), "```text\n" + Shorten(result.StandardOutput) + "```\n", readme.AsSpan(end));
        GeneratedFile.AssertCurrent("README.md", expected, "Regenerate its example output with: UPDATE_DOCS=1 dotnet test tests/PolicyEngine.Cli.Tests --filter ReadmeExampleTests");
    }

    [Fact]
    public void Shortening_keeps_the_first_entries_of_each_section_and_marks_the_cut()
    {
        const string output = "head\n\nFailures (6):\n[HIGH] a\n   at x\n[HIGH] b\n[HIGH] c\n[HIGH] d\n[HIGH] e\n   at y\n[HIGH] f\n\n2 needs attention.\n";
        Assert.Equal("head\n\nFailures (6):\n[HIGH] a\n   at x\n[HIGH] b\n[HIGH] c\n[HIGH] d\n...\n\n2 needs attention.\n", Shorten(output));
    }

    /// <summary>Keeps the first entries (a <c>[SEVERITY]</c> line and the indented lines under it) of each section.</summary>
    internal static string Shorten(string output)
    {
        var text = new StringBuilder();
        var entries = 0;
        var cut = false;
        foreach (var line in output.Split('\n').SkipLast(1))
        {
            if (line.StartsWith('['))
            {
                entries++;
            }
            else if (!line.StartsWith(' '))
            {
                entries = 0;
                if (cut)
                {
                    text.Append("...\n");
                    cut = false;
                }
            }

            if (entries > EntriesPerSection)
            {
                cut = true;
                continue;
            }

            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}
