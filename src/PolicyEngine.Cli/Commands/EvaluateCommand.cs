using System.CommandLine;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Explain;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>evaluate</c>: run a rule pack over a snapshot and report the findings.</summary>
internal static class EvaluateCommand
{
    public static Command Create(Stream standardOutput, TextWriter error, Func<bool> isTerminal)
    {
        var snapshot = new Argument<string>("snapshot")
        {
            Description = "The snapshot file (.json or .json.gz), or an AWS Config snapshot file as delivered to S3 (imported in memory).",
        };
        var rules = CommonOptions.Rules();
        var collectors = CommonOptions.Collectors();
        var format = new Option<string>("--format") { Description = "console, json, sarif or sra-verify-csv.", DefaultValueFactory = _ => "console" };
        format.AcceptOnlyFromAmong([.. FindingsReporters.Formats]);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (atomically) instead of standard output." };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when an unsuppressed failing finding has this severity or higher (informational, low, medium, high, critical, or none).",
            DefaultValueFactory = _ => "informational",
        };
        // Any case is accepted (HIGH, High): shells and CI variables are often upper-case.
        failOn.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !FailOnWords.Contains(value.ToLowerInvariant()))
            {
                result.AddError($"Argument '{value}' not recognized for --fail-on. Must be one of: {string.Join(", ", FailOnWords)} (any case).");
            }
        });
        var allowInsufficient = new Option<bool>("--allow-insufficient-data")
        {
            Description = "Do not count InsufficientData findings toward --fail-on (by default missing evidence fails the gate, because it is not a pass).",
        };
        var config = CommonOptions.Config();
        var includePassing = new Option<bool>("--include-passing") { Description = "Also report Pass and NotApplicable findings in SARIF and CSV." };
        var explain = new Option<string?>("--explain")
        {
            Description = "Instead of the report, explain one rule: per subject, each input's evidence and status, each where/assert condition with the nodes it selected and its verdict, and what a predicate returned and logged.",
            HelpName = "RULE-ID",
        };
        var explainSubject = new Option<string?>("--subject")
        {
            Description = "With --explain, only the subjects matching ACCOUNT, ACCOUNT/REGION or ACCOUNT/REGION/RESOURCE.",
            HelpName = "ACCOUNT[/REGION][/RESOURCE]",
        };

        var command = new Command("evaluate", "Evaluate a snapshot against a rule pack.")
        {
            snapshot, rules, collectors, format, output, failOn, allowInsufficient, config, includePassing, explain, explainSubject,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(explainSubject) is not null && result.GetValue(explain) is null)
            {
                result.AddError("--subject selects the subjects of --explain; give --explain RULE-ID too.");
            }
        });
        command.SetAction(parse =>
        {
            var diagnostics = new List<Diagnostic>();
            var configPath = parse.GetValue(config);
            var policyConfig = CommonOptions.LoadConfig(configPath, diagnostics);
            var compilation = CommonOptions.CompilePack(parse.GetValue(rules), parse.GetValue(collectors), error, policyConfig.Sandbox);
            if (configPath is not null && compilation.RuleSet is { } set)
            {
                diagnostics.AddRange(policyConfig.CheckAgainst(set));
            }

            var snapshotPath = parse.GetValue(snapshot)!;
            using var loaded = ConfigSnapshotInput.Load(snapshotPath, diagnostics);
            foreach (var diagnostic in Diagnostic.Sort(diagnostics))
            {
                error.WriteLine(diagnostic);
            }

            if (compilation.RuleSet is not { } ruleSet || loaded is null || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return ExitCodes.InvalidInput;
            }

            var options = new EvaluationOptions { Config = policyConfig, Sandbox = policyConfig.Sandbox };
            var outputPath = parse.GetValue(output);
            if (parse.GetValue(explain) is { } ruleId)
            {
                return Explain(ruleSet, loaded, ruleId, parse.GetValue(explainSubject), options, outputPath, standardOutput, error);
            }

            var result = Evaluator.Evaluate(ruleSet, loaded, options);
            var context = new ReportContext
            {
                ToolVersion = ReportContext.DefaultToolVersion,
                SnapshotPath = snapshotPath.Replace('\\', '/'),
                IncludePassing = parse.GetValue(includePassing),
                UseColor = outputPath is null && isTerminal() && Environment.GetEnvironmentVariable("NO_COLOR") is null,
            };
            var reporter = FindingsReporters.Find(parse.GetValue(format)!)!;
            if (outputPath is not null)
            {
                AtomicFile.Write(outputPath, stream => reporter.Write(result, context, stream));
            }
            else
            {
                reporter.Write(result, context, standardOutput);
                standardOutput.Flush();
            }

            return Gate(result, parse.GetValue(failOn)!.ToLowerInvariant(), parse.GetValue(allowInsufficient));
        });
        return command;
    }

    /// <summary>Writes the explanation of one rule; exit 2 when the rule or subject is unknown.</summary>
    private static int Explain(RuleSet ruleSet, Core.Snapshots.Snapshot snapshot, string ruleId, string? subject, EvaluationOptions options,
        string? outputPath, Stream standardOutput, TextWriter error)
    {
        var diagnostics = new List<Diagnostic>();
        var explanation = RuleExplainer.Explain(ruleSet, snapshot, ruleId, subject, options, diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            error.WriteLine(diagnostic);
        }

        if (explanation is null)
        {
            return ExitCodes.InvalidInput;
        }

        if (outputPath is not null)
        {
            AtomicFile.Write(outputPath, stream => ExplainWriter.Write(explanation, stream));
        }
        else
        {
            ExplainWriter.Write(explanation, standardOutput);
            standardOutput.Flush();
        }

        return ExitCodes.Success;
    }

    private static readonly string[] FailOnWords = [.. RuleSeverityNames.All, "none"];

    /// <summary>Exit 1 when an unsuppressed Fail (or, unless allowed, InsufficientData or Error) reaches the threshold.</summary>
    private static int Gate(EvaluationResult result, string failOn, bool allowInsufficient)
    {
        if (failOn == "none" || !RuleSeverityNames.TryParse(failOn, out var threshold))
        {
            return ExitCodes.Success;
        }

        var gating = result.Findings.Any(f => f.Suppression is null && f.Severity >= threshold &&
            (f.Outcome == Outcome.Fail || (!allowInsufficient && f.Outcome is Outcome.InsufficientData or Outcome.Error)));
        return gating ? ExitCodes.FindingsAtOrAboveThreshold : ExitCodes.Success;
    }
}
