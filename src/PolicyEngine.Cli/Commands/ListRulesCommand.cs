using System.CommandLine;
using System.Globalization;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>list-rules</c>: id, effective severity and enablement (under <c>--config</c>), service, account scope, origin
/// (sra-verify port, extension or custom) and title.
/// </summary>
internal static class ListRulesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var rules = CommonOptions.Rules();
        var collectors = CommonOptions.Collectors();
        var config = CommonOptions.Config();
        var command = new Command("list-rules", "List the rules of a pack with their origin, and their severity and enablement under a configuration.")
        {
            rules, collectors, config,
        };
        command.SetAction(parse =>
        {
            var diagnostics = new List<Diagnostic>();
            var policyConfig = CommonOptions.LoadConfig(parse.GetValue(config), diagnostics);
            foreach (var diagnostic in Diagnostic.Sort(diagnostics))
            {
                error.WriteLine(diagnostic);
            }

            var compilation = CommonOptions.CompilePack(parse.GetValue(rules), parse.GetValue(collectors), error, policyConfig.Sandbox);
            if (compilation.RuleSet is not { } set || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return ExitCodes.InvalidInput;
            }

            foreach (var diagnostic in Diagnostic.Sort([.. policyConfig.CheckAgainst(set)]))
            {
                error.WriteLine(diagnostic);
            }

            var rows = set.Rules.Select(r => new[]
            {
                r.Descriptor.Id,
                Severity(policyConfig.EffectiveSeverity(r.Descriptor), r.Descriptor.DefaultSeverity) + (policyConfig.HasScopedSeverity(r.Descriptor) ? " + scopes" : string.Empty),
                policyConfig.IsEnabled(r.Descriptor) ? "yes" : "no",
                r.Descriptor.Category,
                r.Descriptor.AccountScope.Count == 0 ? "all accounts" : string.Join(",", r.Descriptor.AccountScope),
                r.Descriptor.Origin.ToName(),
                r.Descriptor.Title,
            }).ToList();
            string[] header = ["ID", "SEVERITY", "ENABLED", "SERVICE", "ACCOUNT SCOPE", "ORIGIN", "TITLE"];
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
            output.WriteLine(Format(header, widths));
            foreach (var row in rows)
            {
                output.WriteLine(Format(row, widths));
            }

            var origins = string.Join(", ", Enum.GetValues<RuleOrigin>()
                .Select(o => (Origin: o, Count: set.Rules.Count(r => r.Descriptor.Origin == o)))
                .Where(o => o.Count > 0)
                .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Count} {o.Origin.ToName()}")));
            var disabled = set.Rules.Count(r => !policyConfig.IsEnabled(r.Descriptor));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rows.Count} {(rows.Count == 1 ? "rule" : "rules")} ({(origins.Length == 0 ? "none" : origins)}); {disabled} disabled."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The severity where no scope applies, marked with the default when configuration changed it (e.g. "low (was high)");
    /// the caller appends "+ scopes" when accounts, OUs or regions get another.
    /// </summary>
    private static string Severity(RuleSeverity effective, RuleSeverity defaultSeverity) =>
        effective == defaultSeverity ? effective.ToName() : $"{effective.ToName()} (was {defaultSeverity.ToName()})";

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
