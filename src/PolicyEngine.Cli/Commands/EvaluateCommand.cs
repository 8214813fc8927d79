using System.CommandLine;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Explain;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Snapshots;

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
        var format = new Option<string[]>("--format")
        {
            Description = $"Report format, repeatable, each optionally with its file: FORMAT[=FILE] ({string.Join(", ", FindingsReporters.Formats)}). "
                + "A format without a file goes to --output, else to standard output ('-' names standard output). Default: console.",
            HelpName = "FORMAT[=FILE]",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report of the --format without a file to this file (atomically) instead of standard output." };
        var failOn = new Option<string?>("--fail-on")
        {
            Description = "Exit 1 when an unsuppressed failing finding has this severity or higher (informational, low, medium, high, critical, or none; any case). "
                + "Default: informational, or none when --fail-on-new is given.",
        };
        // Any case is accepted (HIGH, High): shells and CI variables are often upper-case.
        failOn.Validators.Add(result => CheckSeverityWord(result, "--fail-on"));
        var failOnNew = new Option<string?>("--fail-on-new")
        {
            Description = "With --baseline: exit 1 when a finding that is new since the baseline is unsuppressed, failing and has this severity or higher.",
            HelpName = "SEVERITY",
        };
        failOnNew.Validators.Add(result => CheckSeverityWord(result, "--fail-on-new"));
        var baseline = new Option<string?>("--baseline")
        {
            Description = "A JSON report of an earlier evaluation (--format json): every report marks each finding new or unchanged and lists the fixed ones.",
            HelpName = "REPORT.json",
        };
        var allowInsufficient = new Option<bool>("--allow-insufficient-data")
        {
            Description = "Do not count InsufficientData and Error findings toward --fail-on and --fail-on-new (by default they count like failures, because neither is a pass).",
        };
        var filters = new ReportFilterOptions();
        var ocsfVersion = new Option<string>("--ocsf-version")
        {
            Description = "The OCSF version of --format ocsf: 1.1.0 (default) or 1.8.0.",
            DefaultValueFactory = _ => OcsfReporter.Versions[0],
        };
        ocsfVersion.AcceptOnlyFromAmong([.. OcsfReporter.Versions]);
        var asffRegion = new Option<string>("--asff-region")
        {
            Description = "With --format asff, the Security Hub region of findings about subjects without a region (accounts, the organization). Default us-east-1.",
            DefaultValueFactory = _ => "us-east-1",
            HelpName = "REGION",
        };
        asffRegion.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z]{2}(-[a-z]+)+-[0-9]+$"))
            {
                result.AddError($"--asff-region '{value}' is not an AWS region name such as us-east-1 or eu-west-2.");
            }
        });
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

        var maxPerRule = new Option<int>("--max-per-rule")
        {
            Description = "The console and markdown reports list at most this many subjects per rule, then 'and K more' (0 lists every one). Default 10.",
            DefaultValueFactory = _ => 10,
            HelpName = "N",
        };
        maxPerRule.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--max-per-rule must be 0 (list every subject) or more.");
            }
        });
        var shard = ShardInputs.Option("Evaluate");
        var partSize = new Option<string>("--part-size")
        {
            Description = "Evaluate a snapshot file larger than four times this in parts of about this size of records (e.g. 64M, 1G), one after the other, so memory holds one part and not the whole file; the report is the same. 0 always evaluates it whole. Default 64M (files above 256 MB).",
            DefaultValueFactory = _ => "64M",
            HelpName = "SIZE",
        };
        partSize.Validators.Add(result =>
        {
            if (PartSize.Parse(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--part-size takes a size in bytes with an optional K, M or G suffix, or 0 to evaluate the snapshot whole (e.g. 64M); '{result.GetValueOrDefault<string>()}' is not one.");
            }
        });
        var command = new Command("evaluate", "Evaluate a snapshot against a rule pack.")
        {
            snapshot, rules, collectors, format, output, failOn, failOnNew, baseline, allowInsufficient, config, includePassing, explain, explainSubject, ocsfVersion, asffRegion, maxPerRule, shard, partSize,
        };
        filters.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(explainSubject) is not null && result.GetValue(explain) is null)
            {
                result.AddError("--subject selects the subjects of --explain; give --explain RULE-ID too.");
            }

            if (result.GetValue(failOnNew) is not null && result.GetValue(baseline) is null)
            {
                result.AddError("--fail-on-new gates on findings that are new since a baseline; give --baseline REPORT.json too.");
            }
        });
        command.SetAction((parse, cancellationToken) => Task.FromResult(Evaluate(parse, cancellationToken)));
        return command;

        int Evaluate(ParseResult parse, CancellationToken cancellationToken)
        {
            var diagnostics = new List<Diagnostic>();
            var configPath = parse.GetValue(config);
            var policyConfig = CommonOptions.LoadConfig(configPath, diagnostics);
            var rulePaths = parse.GetValue(rules);
            var collectorPaths = parse.GetValue(collectors);
            // The pack compiles on a second core while the snapshot loads, rather than before it (docs/benchmarks.md,
            // the anchor workload). Until it is joined below, only the compilation writes to the error stream.
            var compiling = Task.Run(() =>
            {
                var compiled = CommonOptions.CompilePack(rulePaths, collectorPaths, error, policyConfig.Sandbox);
                if (compiled.RuleSet is { } set && set.Rules.Any(r => r.Predicate is not null))
                {
                    // The first sandbox engine is built while the snapshot still loads; a pack without predicates
                    // never needs one.
                    Scripting.PredicateRunner.PrepareEngine(policyConfig.Sandbox);
                }

                return compiled;
            }, cancellationToken);
            var outputPath = parse.GetValue(output);
            var explained = parse.GetValue(explain);
            var reports = explained is null ? ReportOutputs.Parse(parse.GetValue(format), outputPath, diagnostics) : [];
            var baselinePath = parse.GetValue(baseline);
            var baselineReport = baselinePath is null ? null : ReportedFindings.Load(baselinePath, diagnostics);
            var snapshotPath = parse.GetValue(snapshot)!;
            var part = ShardInputs.Parse(parse.GetValue(shard), diagnostics, out _);
            // A large snapshot is evaluated part by part (docs/scaling.md), unless a trace or a shard needs it whole.
            var partBytes = PartSize.Parse(parse.GetValue(partSize)) ?? 0;
            using var parts = explained is null && part is null && partBytes > 0 ? SnapshotParts.TryPlan(snapshotPath, partBytes) : null;
            using var loaded = parts is null ? ConfigSnapshotInput.Load(snapshotPath, diagnostics) : null;
            var compilation = compiling.GetAwaiter().GetResult();
            if (configPath is not null && compilation.RuleSet is { } ruleSetToCheck)
            {
                diagnostics.AddRange(policyConfig.CheckAgainst(ruleSetToCheck));
            }

            var header = parts?.Header ?? loaded;
            if (configPath is not null && header is not null)
            {
                // Expired suppressions, account tags the snapshot lacks, OU paths that cover no account: warnings.
                diagnostics.AddRange(policyConfig.CheckAgainst(header, Evaluator.EvaluationDate(header)));
            }

            foreach (var diagnostic in Diagnostic.Sort(diagnostics))
            {
                error.WriteLine(diagnostic);
            }

            if (compilation.RuleSet is not { } ruleSet || header is null || reports is null
                || (baselinePath is not null && baselineReport is null) || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return ExitCodes.InvalidInput;
            }

            var options = new EvaluationOptions { Config = policyConfig, Sandbox = policyConfig.Sandbox, Shard = part ?? Core.Sharding.Shard.Whole };
            if (explained is not null)
            {
                return Cancellable(() => Explain(ruleSet, loaded!, explained, parse.GetValue(explainSubject), options, outputPath, standardOutput, error, cancellationToken), error, "explaining");
            }

            var filter = filters.Read(parse);
            var context = new ReportContext
            {
                ToolVersion = ReportContext.DefaultToolVersion,
                SnapshotPath = snapshotPath.Replace('\\', '/'),
                // A shard report is merge's input, so it lists every finding: the merged report decides what it lists.
                IncludePassing = parse.GetValue(includePassing) || part is not null,
                Shard = part is null ? null : ShardInputs.Stamp(part, snapshotPath, parse.GetValue(rules), parse.GetValue(collectors), configPath),
                Filter = filter.Describe(),
                OcsfVersion = parse.GetValue(ocsfVersion)!,
                AsffRegion = parse.GetValue(asffRegion)!,
                MaxPerRule = parse.GetValue(maxPerRule),
            };

            // When no report lists Pass and NotApplicable findings, they are counted, not held (millions of them in a
            // large organization). Filters and a baseline comparison read every finding, so then they are all held.
            options = options with
            {
                CountPassing = filter.IsEmpty && baselineReport is null && part is null && !reports.Any(r => r.Reporter.ReadsPassingFindings(context)),
            };
            EvaluationResult? evaluated = null;
            var cancelled = Cancellable(
                () =>
                {
                    TestPause.At("evaluate", cancellationToken);
                    using var progress = ProgressLine.Start(error, $"evaluating {ruleSet.Rules.Count} rules on {snapshotPath}",
                        ProgressLine.Allowed(error, Environment.GetEnvironmentVariable));
                    evaluated = parts is null ? Evaluator.Evaluate(ruleSet, loaded!, options, cancellationToken) : PartsEvaluator.Evaluate(ruleSet, parts, options, cancellationToken);
                    if (evaluated is not null)
                    {
                        return ExitCodes.Success;
                    }

                    // The parts could not stand for the file (a record the index did not foresee is malformed, or a
                    // rule read what its part lacked): the whole file is loaded, and says what is wrong if anything is.
                    var wholeDiagnostics = new List<Diagnostic>();
                    using var whole = ConfigSnapshotInput.Load(snapshotPath, wholeDiagnostics);
                    foreach (var diagnostic in Diagnostic.Sort(wholeDiagnostics))
                    {
                        error.WriteLine(diagnostic);
                    }

                    if (whole is null || wholeDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
                    {
                        return ExitCodes.InvalidInput;
                    }

                    evaluated = Evaluator.Evaluate(ruleSet, whole, options, cancellationToken);
                    return ExitCodes.Success;
                },
                error,
                "evaluating");
            if (evaluated is null || cancelled != ExitCodes.Success)
            {
                return cancelled;
            }

            var result = filter.Apply(evaluated);
            var comparison = baselineReport is null ? null : BaselineComparison.Compare(result.Findings, baselineReport.Where(filter.Matches));
            context = context with { Baseline = comparison };
            if (Cancellable(() => WriteReports(reports, result, context, standardOutput, isTerminal, cancellationToken), error, "writing the reports") is var written
                && written != ExitCodes.Success)
            {
                return written;
            }

            var allowed = parse.GetValue(allowInsufficient);
            var newThreshold = parse.GetValue(failOnNew);
            var threshold = parse.GetValue(failOn) ?? (newThreshold is null ? "informational" : "none");
            var fails = Fails(result, threshold, allowed, null) || (newThreshold is not null && Fails(result, newThreshold, allowed, comparison));
            return fails ? ExitCodes.FindingsAtOrAboveThreshold : ExitCodes.Success;
        }
    }

    /// <summary>
    /// Runs a step that a signal may cancel (<see cref="Interruption"/>). A cancelled step has deleted its temporary
    /// files on the way out; this says so as PE3108 and returns <see cref="ExitCodes.Cancelled"/>.
    /// </summary>
    private static int Cancellable(Func<int> step, TextWriter error, string doing)
    {
        try
        {
            return step();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"error {Scripting.ScriptErrorCodes.Cancelled}: cancelled by a signal (Ctrl+C or SIGTERM) while {doing}; no report file was written or replaced. Run the command again for a report.");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>Writes every report: files atomically, the one without a file to standard output (coloured on a terminal).</summary>
    private static int WriteReports(IReadOnlyList<ReportOutput> reports, EvaluationResult result, ReportContext context, Stream standardOutput, Func<bool> isTerminal,
        CancellationToken cancellationToken)
    {
        foreach (var report in reports)
        {
            if (report.Path is not null)
            {
                AtomicFile.Write(
                    report.Path,
                    stream =>
                    {
                        report.Reporter.Write(result, context, stream);
                        TestPause.At("write", cancellationToken);
                    },
                    cancellationToken);
                continue;
            }

            var terminal = isTerminal();
            var toStandardOutput = context with
            {
                UseColor = terminal && Environment.GetEnvironmentVariable("NO_COLOR") is null,
                TerminalWidth = terminal ? TerminalWidth() : null,
            };
            report.Reporter.Write(result, toStandardOutput, standardOutput);
            standardOutput.Flush();
        }

        return ExitCodes.Success;
    }

    /// <summary>The console's width, or null when it cannot be read (then nothing wraps).</summary>
    private static int? TerminalWidth()
    {
        try
        {
            return Console.WindowWidth is var width and >= 20 ? width : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void CheckSeverityWord(System.CommandLine.Parsing.OptionResult result, string name)
    {
        var value = result.GetValueOrDefault<string?>();
        if (value is not null && !FailOnWords.Contains(value.ToLowerInvariant()))
        {
            result.AddError($"Argument '{value}' not recognized for {name}. Must be one of: {string.Join(", ", FailOnWords)} (any case).");
        }
    }

    /// <summary>Writes the explanation of one rule; exit 2 when the rule or subject is unknown.</summary>
    private static int Explain(RuleSet ruleSet, Core.Snapshots.Snapshot snapshot, string ruleId, string? subject, EvaluationOptions options,
        string? outputPath, Stream standardOutput, TextWriter error, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        cancellationToken.ThrowIfCancellationRequested();
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
            AtomicFile.Write(outputPath, stream => ExplainWriter.Write(explanation, stream), cancellationToken);
        }
        else
        {
            ExplainWriter.Write(explanation, standardOutput);
            standardOutput.Flush();
        }

        return ExitCodes.Success;
    }

    private static readonly string[] FailOnWords = [.. RuleSeverityNames.All, "none"];

    /// <summary>True when an unsuppressed Fail (or, unless allowed, InsufficientData or Error) reaches the threshold word.</summary>
    private static bool Fails(EvaluationResult result, string threshold, bool allowInsufficient, BaselineComparison? newSince) =>
        RuleSeverityNames.TryParse(threshold.ToLowerInvariant(), out var severity)
        && FailureGate.Fails(result.Findings, severity, allowInsufficient, newSince);
}
