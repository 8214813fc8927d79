using System.CommandLine;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>test</c>: run rule test files (<c>*.tests.yaml</c>) against the rules beside them, like <c>opa test</c>. The
/// runner is <see cref="RuleTestRunner"/>; this command only wires options and picks the output.
/// </summary>
internal static class TestCommand
{
    public static Command Create(Stream standardOutput, TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Test files (*.tests.yaml) or directories to search for them. Default: the current directory.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var rules = CommonOptions.Rules();
        rules.Description = $"Rule directories or files to test (repeatable; '{CommonOptions.BuiltinPack}' names the shipped SRA pack). Default: the rules under the given directories and beside the given test files.";
        var collectors = CommonOptions.Collectors();
        var fixtures = new Option<string[]>("--fixtures")
        {
            Description = "More fixture directories (repeatable), searched before the fixtures shipped with the tool for 'fixture: NAME' (NAME.json).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var filter = new Option<string?>("--filter") { Description = "Run only cases whose rule id or case name matches this glob (* and ?), e.g. 'SRA-GUARDDUTY-*'." };
        var format = new Option<string>("--format") { Description = "text, junit (JUnit XML for CI test reports) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong([.. RuleTestReporter.Formats]);
        var outputPath = new Option<string?>("--output", "-o") { Description = "Write the report to this file (atomically) instead of standard output." };
        var coverage = new Option<bool>("--coverage")
        {
            Description = "Report, per rule, the outcomes its cases reach, the conditions never decided true or false, and rules without tests.",
        };
        var command = new Command("test", "Run rule test files (*.tests.yaml): exit 0 when every case passes, 1 when one fails, 2 on invalid input.")
        {
            paths, rules, collectors, fixtures, filter, format, outputPath, coverage,
        };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            var ruleSources = parse.GetValue(rules) is { Length: > 0 } r ? r : RulesBeside(given);
            var compilation = CommonOptions.CompilePack(ruleSources, parse.GetValue(collectors), error);
            var fixtureSet = new RuleTestFixtures([.. parse.GetValue(fixtures) ?? [], DefaultPaths.FixturesDirectory]);
            var diagnostics = new List<Diagnostic>();
            fixtureSet.CheckDirectories(diagnostics, "--fixtures");
            var runner = new RuleTestRunner(compilation.RuleSet, fixtureSet);
            var files = RuleTestRunner.FindTestFiles(given, diagnostics);
            var cases = runner.Load(files, diagnostics);
            var run = runner.Run(files, compilation.RuleSet is null ? [] : cases, diagnostics,
                new RuleTestRunOptions { Filter = parse.GetValue(filter), Coverage = parse.GetValue(coverage) });
            foreach (var diagnostic in run.Diagnostics)
            {
                error.WriteLine(diagnostic);
            }

            var selected = parse.GetValue(format)!;
            if (parse.GetValue(outputPath) is { } path)
            {
                AtomicFile.Write(path, stream => RuleTestReporter.Write(run, selected, stream));
            }
            else if (selected == "text")
            {
                RuleTestReporter.WriteText(run, output);
            }
            else
            {
                RuleTestReporter.Write(run, selected, standardOutput);
                standardOutput.Flush();
            }

            return compilation.RuleSet is null || run.HasErrors ? ExitCodes.InvalidInput
                : run.Failed > 0 ? ExitCodes.FindingsAtOrAboveThreshold
                : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The rules under test by default: every rule under a given directory, and the rules beside a given test file.</summary>
    private static string[] RulesBeside(string[] paths)
    {
        var directories = paths
            .Select(p => File.Exists(p) ? Path.GetDirectoryName(p) is { Length: > 0 } d ? d : "." : p)
            .Select(p => p.Replace('\\', '/').TrimEnd('/'))
            .Select(p => p.Length == 0 ? "/" : p)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        // A directory inside another given directory is compiled once, with the outer one.
        return directories
            .Where(d => !directories.Any(outer => outer != d && IsInside(d, outer)))
            .ToArray();
    }

    private static bool IsInside(string directory, string outer)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(outer), Path.GetFullPath(directory));
        return relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
