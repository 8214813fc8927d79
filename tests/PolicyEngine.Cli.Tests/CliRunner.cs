using System.Text;

namespace PolicyEngine.Cli.Tests;

/// <summary>Runs the CLI in-process with captured streams.</summary>
internal static class CliRunner
{
    // Every CLI test runs from the repository root, as a user following the README would.
    static CliRunner() => Directory.SetCurrentDirectory(RepoRoot);

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var output = new StringWriter();
        using var error = new StringWriter();
        output.NewLine = "\n";
        error.NewLine = "\n";
        var code = Program.Run(args, stdout, output, error, () => false);
        var text = Encoding.UTF8.GetString(stdout.ToArray()) + output;
        return new Result(code, text, error.ToString());
    }

    public static string RepoRoot => PolicyEngine.Tests.Shared.TestRepository.Root;

    public static string Sample(string name) => Path.Combine(RepoRoot, "samples", name + ".json");
}

/// <summary>Compares output with a golden file; UPDATE_GOLDEN=1 rewrites it in the source tree and fails once.</summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual)
    {
        var source = Path.Combine(CliRunner.RepoRoot, "tests", "PolicyEngine.Cli.Tests", "Golden", name);
        var expected = File.Exists(source) ? File.ReadAllText(source) : null;
        if (expected == actual)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(source, actual, new UTF8Encoding(false));
            Assert.Fail($"Golden/{name} was rewritten; run the tests again without UPDATE_GOLDEN.");
        }

        Assert.Fail($"Output differs from Golden/{name} ({(expected is null ? "missing" : "stale")}). If the change is intended: UPDATE_GOLDEN=1 dotnet test tests/PolicyEngine.Cli.Tests");
    }
}
