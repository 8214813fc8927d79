using System.CommandLine;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Cli.Commands;

/// <summary>The report filter options of <c>evaluate</c>, read into a <see cref="ReportFilter"/>.</summary>
internal sealed class ReportFilterOptions
{
    private static readonly string[] OutcomeWords = ["fail", "insufficientData", "error", "pass", "notApplicable"];

    private readonly Option<string?> _severity = new("--severity")
    {
        Description = "Report only findings of this severity or higher (any case).",
        HelpName = "SEVERITY",
    };

    private readonly Option<string[]> _rule = Repeatable("--rule", "Report only rules whose id matches this glob (* any text, ? one character; repeatable).", "GLOB");
    private readonly Option<string[]> _service = Repeatable("--service", "Report only this service, the rule's category, e.g. GuardDuty (repeatable, any case).", "SERVICE");
    private readonly Option<string[]> _account = Repeatable("--account", "Report only this account id (repeatable).", "ACCOUNT");
    private readonly Option<string[]> _ou = Repeatable("--ou", "Report only accounts in this OU path or below it, e.g. Root/Workloads (repeatable).", "OU-PATH");
    private readonly Option<string[]> _region = Repeatable("--region", "Report only this region, or global (repeatable).", "REGION");
    private readonly Option<string[]> _outcome = Repeatable("--outcome", $"Report only this outcome: {string.Join(", ", OutcomeWords)} (repeatable).", "OUTCOME");

    public ReportFilterOptions()
    {
        _severity.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !RuleSeverityNames.TryParse(value.ToLowerInvariant(), out _))
            {
                result.AddError($"Argument '{value}' not recognized for --severity. Must be one of: {string.Join(", ", RuleSeverityNames.All)} (any case).");
            }
        });
        _outcome.AcceptOnlyFromAmong(OutcomeWords);
    }

    private static Option<string[]> Repeatable(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.OneOrMore,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _severity, _rule, _service, _account, _ou, _region, _outcome })
        {
            command.Options.Add(option);
        }
    }

    public ReportFilter Read(ParseResult parse) => new()
    {
        MinimumSeverity = parse.GetValue(_severity) is { } word && RuleSeverityNames.TryParse(word.ToLowerInvariant(), out var severity) ? severity : null,
        Rules = parse.GetValue(_rule) ?? [],
        Services = parse.GetValue(_service) ?? [],
        Accounts = parse.GetValue(_account) ?? [],
        OuPaths = parse.GetValue(_ou) ?? [],
        Regions = parse.GetValue(_region) ?? [],
        Outcomes = [.. (parse.GetValue(_outcome) ?? []).Select(o => ModelNames.TryParseOutcome(o, out var outcome) ? outcome : Outcome.Fail).Distinct()],
    };
}
