using System.CommandLine;
using System.Globalization;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Testing;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>validate</c>: compile the rule pack only and print its diagnostics, as text lines on standard error or
/// (<c>--format sarif</c>) as a SARIF 2.1.0 log for code scanning.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(Stream standardOutput, TextWriter output, TextWriter error)
    {
        var rules = CommonOptions.Rules();
        var collectors = CommonOptions.Collectors();
        var config = CommonOptions.Config();
        var format = new Option<string>("--format")
        {
            Description = "text (one diagnostic per line on standard error) or sarif (a SARIF 2.1.0 log of the diagnostics).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "sarif");
        var outputPath = new Option<string?>("--output", "-o") { Description = "With --format sarif: write the log to this file (atomically) instead of standard output." };
        var fixtures = new Option<string[]>("--fixtures")
        {
            Description = "More fixture directories (repeatable) for the rule test files beside the rules, as for 'test'.",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var asOf = new Option<string?>("--as-of")
        {
            Description = "With --config: the date (YYYY-MM-DD) suppressions' expiry is checked against (PE9045). Default: today (UTC); evaluate uses the snapshot's collection date.",
            HelpName = "DATE",
        };
        asOf.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError($"--as-of '{text}' is not a date like 2027-01-31.");
            }
        });
        var command = new Command("validate", "Compile rules, check the rule test files beside them, and print every problem as file:line:col: error CODE: message.")
        {
            rules, collectors, config, format, outputPath, fixtures, asOf,
        };
        command.SetAction(parse =>
        {
            // The configuration's sandbox limits apply when predicates compile (maxSourceLength), so they are validated too.
            var configDiagnostics = new List<Diagnostic>();
            var policyConfig = CommonOptions.LoadConfig(parse.GetValue(config), configDiagnostics);
            // Without a snapshot there is no collection date: expiry is checked against --as-of, or today.
            var today = parse.GetValue(asOf) is { } date
                ? DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : DateOnly.FromDateTime(DateTime.UtcNow);
            configDiagnostics.AddRange(policyConfig.ExpiredSuppressions(today));
            foreach (var diagnostic in Diagnostic.Sort(configDiagnostics))
            {
                error.WriteLine(diagnostic);
            }

            var compilation = CommonOptions.CompilePack(parse.GetValue(rules), parse.GetValue(collectors), error, policyConfig.Sandbox);

            // Rule test files beside the rules are checked too: their mistakes would otherwise pass silently until 'test'.
            var testDiagnostics = new List<Diagnostic>();
            var fixtureSet = new RuleTestFixtures([.. parse.GetValue(fixtures) ?? [], DefaultPaths.FixturesDirectory]);
            fixtureSet.CheckDirectories(testDiagnostics, "--fixtures");
            new RuleTestRunner(compilation.RuleSet, fixtureSet).Load(RuleTestRunner.TestFilesUnder(CommonOptions.UserRulePaths(parse.GetValue(rules))), testDiagnostics);
            foreach (var diagnostic in Diagnostic.Sort(testDiagnostics))
            {
                error.WriteLine(diagnostic);
            }

            if (compilation.RuleSet is { } compiled)
            {
                // Unknown rule ids and categories need the compiled pack; they count as warnings like any other.
                var references = Diagnostic.Sort([.. policyConfig.CheckAgainst(compiled)]);
                foreach (var diagnostic in references)
                {
                    error.WriteLine(diagnostic);
                }

                configDiagnostics.AddRange(references);
            }

            var all = configDiagnostics.Concat(compilation.Diagnostics).Concat(Diagnostic.Sort(testDiagnostics)).ToList();
            var errors = all.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = all.Count - errors;
            var ok = compilation.RuleSet is not null && errors == 0;
            if (parse.GetValue(format) == "sarif")
            {
                var context = new ReportContext { ToolVersion = ReportContext.DefaultToolVersion };
                if (parse.GetValue(outputPath) is { } path)
                {
                    AtomicFile.Write(path, stream => SarifReporter.WriteDiagnostics(all, context, stream));
                }
                else
                {
                    SarifReporter.WriteDiagnostics(all, context, standardOutput);
                    standardOutput.Flush();
                }
            }
            else if (compilation.RuleSet is { } set)
            {
                output.WriteLine($"{Count(set.Rules.Count, "rule")} compiled, {Count(errors, "error")}, {Count(warnings, "warning")}.");
            }
            else
            {
                output.WriteLine($"{Count(errors, "error")}, {Count(warnings, "warning")}.");
            }

            return ok ? ExitCodes.Success : ExitCodes.InvalidInput;
        });
        return command;
    }

    private static string Count(int count, string noun) => FormattableString.Invariant($"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
