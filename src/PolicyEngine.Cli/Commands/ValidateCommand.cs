using System.CommandLine;
using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>validate</c>: compile the rule pack only and print its diagnostics.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var rules = CommonOptions.Rules();
        var collectors = CommonOptions.Collectors();
        var command = new Command("validate", "Compile rules and print every problem as file:line:col: error CODE: message.") { rules, collectors };
        command.SetAction(parse =>
        {
            var compilation = CommonOptions.CompilePack(parse.GetValue(rules), parse.GetValue(collectors), error);
            var errors = compilation.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = compilation.Diagnostics.Count - errors;
            if (compilation.RuleSet is { } set)
            {
                output.WriteLine($"{set.Rules.Count} rules compiled, {errors} error(s), {warnings} warning(s).");
                return ExitCodes.Success;
            }

            output.WriteLine($"{errors} error(s), {warnings} warning(s).");
            return ExitCodes.InvalidInput;
        });
        return command;
    }
}
