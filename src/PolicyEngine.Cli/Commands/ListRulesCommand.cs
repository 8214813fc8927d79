using System.CommandLine;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Cli.Commands;

/// <summary><c>list-rules</c>: id, severity, service, account scope and whether the rule extends SRA Verify.</summary>
internal static class ListRulesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var rules = CommonOptions.Rules();
        var collectors = CommonOptions.Collectors();
        var command = new Command("list-rules", "List the rules of a pack.") { rules, collectors };
        command.SetAction(parse =>
        {
            var compilation = CommonOptions.CompilePack(parse.GetValue(rules), parse.GetValue(collectors), error);
            if (compilation.RuleSet is not { } set)
            {
                return ExitCodes.InvalidInput;
            }

            var rows = set.Rules.Select(r => new[]
            {
                r.Descriptor.Id,
                r.Descriptor.DefaultSeverity.ToName(),
                r.Descriptor.Category,
                r.Descriptor.AccountScope.Count == 0 ? "all accounts" : string.Join(",", r.Descriptor.AccountScope),
                r.Descriptor.IsExtension ? "extension" : "sra-verify",
                r.Descriptor.Title,
            }).ToList();
            string[] header = ["ID", "SEVERITY", "SERVICE", "ACCOUNT SCOPE", "ORIGIN", "TITLE"];
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
            output.WriteLine(Format(header, widths));
            foreach (var row in rows)
            {
                output.WriteLine(Format(row, widths));
            }

            output.WriteLine($"{rows.Count} rules ({set.Rules.Count(r => r.Descriptor.IsExtension)} extensions).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
