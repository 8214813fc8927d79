using System.CommandLine;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>diff BEFORE AFTER</c>: new, unchanged and fixed findings between two JSON reports, by fingerprint.</summary>
internal static class DiffCommand
{
    public static Command Create(Stream standardOutput, TextWriter output, TextWriter error)
    {
        var before = new Argument<string>("before") { Description = "The earlier JSON report (evaluate --format json)." };
        var after = new Argument<string>("after") { Description = "The later JSON report." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var file = new Option<string?>("--output", "-o") { Description = "Write the diff to this file (atomically) instead of standard output." };
        var failOnNew = new Option<string?>("--fail-on-new")
        {
            Description = "Exit 1 when a new unsuppressed finding that fails, or lacks data, has this severity or higher (any case).",
            HelpName = "SEVERITY",
        };
        // Any case (High as well as HIGH and high), as evaluate's --fail-on: shells and CI variables are often capitalised.
        failOnNew.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } word && !RuleSeverityNames.TryParse(word.ToLowerInvariant(), out _))
            {
                result.AddError($"Argument '{word}' not recognized for --fail-on-new. Must be one of: {string.Join(", ", RuleSeverityNames.All)} (any case).");
            }
        });
        var allowInsufficient = new Option<bool>("--allow-insufficient-data") { Description = "Do not count new InsufficientData and Error findings toward --fail-on-new." };
        var command = new Command("diff", "Classify the findings of two JSON reports as new, unchanged or fixed, by fingerprint (as evaluate --baseline does).")
        {
            before, after, format, file, failOnNew, allowInsufficient,
        };
        command.SetAction(parse =>
        {
            var diagnostics = new List<Diagnostic>();
            var earlier = ReportedFindings.Load(parse.GetValue(before)!, diagnostics);
            var later = ReportedFindings.Load(parse.GetValue(after)!, diagnostics);
            foreach (var diagnostic in Diagnostic.Sort(diagnostics))
            {
                error.WriteLine(diagnostic);
            }

            if (earlier is null || later is null)
            {
                return ExitCodes.InvalidInput;
            }

            var diff = ReportDiff.Compare(earlier, later);
            var json = parse.GetValue(format) == "json";
            void Write(Stream stream)
            {
                if (json)
                {
                    diff.WriteJson(stream);
                    return;
                }

                using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\n" };
                diff.WriteText(text);
            }

            if (parse.GetValue(file) is { } path)
            {
                AtomicFile.Write(path, Write);
            }
            else
            {
                output.Flush();
                Write(standardOutput);
                standardOutput.Flush();
            }

            return parse.GetValue(failOnNew) is { } word && RuleSeverityNames.TryParse(word.ToLowerInvariant(), out var threshold)
                && diff.NewAtOrAbove(threshold, parse.GetValue(allowInsufficient))
                ? ExitCodes.FindingsAtOrAboveThreshold
                : ExitCodes.Success;
        });
        return command;
    }
}
