using System.Text;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Documentation;

/// <summary>
/// What the pack makes of AWS's definitive error answers ("Macie is not enabled", "no data lake", "not subscribed"):
/// every input's error mapping, gathered per operation and answer. The table in docs/evidence-matrix.md is generated
/// from it, and <see cref="Deviations"/> lists the rules that read an operation without giving an answer the outcome
/// the rest of the pack gives it (for that operation, or for the same answer of another operation of the service),
/// unless the rule's differsFromSraVerify note names the error code.
/// </summary>
public static class ServiceAnswers
{
    /// <summary>One definitive answer: an error code, optionally narrowed to a message, of an operation.</summary>
    public sealed record Answer(OperationName Operation, string Code, string? MessageContains);

    /// <summary>Every mapped answer with the outcome each rule gives it, and the rules that read the operation unmapped.</summary>
    public static SortedDictionary<string, (Answer Answer, SortedDictionary<string, SortedSet<string>> RulesByOutcome)> Collect(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var table = new SortedDictionary<string, (Answer, SortedDictionary<string, SortedSet<string>>)>(StringComparer.Ordinal);
        foreach (var rule in rules.Rules)
        {
            foreach (var input in rule.Inputs)
            {
                foreach (var (code, outcome) in input.ErrorOutcomes)
                {
                    var answer = new Answer(input.Operation, code, input.ErrorMessages.GetValueOrDefault(code));
                    var key = Key(answer);
                    if (!table.TryGetValue(key, out var row))
                    {
                        table[key] = row = (answer, new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal));
                    }

                    Add(row.Item2, outcome.ToName(), rule.Descriptor.Id);
                }
            }
        }

        // Rules that read an answered operation without mapping the answer give it InsufficientData.
        foreach (var rule in rules.Rules)
        {
            foreach (var input in rule.Inputs)
            {
                foreach (var (_, (answer, byOutcome)) in table)
                {
                    if (answer.Operation == input.Operation && !input.ErrorOutcomes.ContainsKey(answer.Code) &&
                        !byOutcome.Values.Any(ids => ids.Contains(rule.Descriptor.Id)))
                    {
                        Add(byOutcome, Unmapped, rule.Descriptor.Id);
                    }
                }
            }
        }

        return table;
    }

    /// <summary>Rules that give an answer another outcome than the pack's decision for it, without a note naming the code.</summary>
    public static IReadOnlyList<string> Deviations(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var notes = rules.Rules.ToDictionary(r => r.Descriptor.Id, r => r.Descriptor.DiffersFromSraVerify ?? string.Empty, StringComparer.Ordinal);
        var table = Collect(rules);
        var problems = new List<string>();

        // The decision for an answer is the outcome most rules map it to across the service's operations (ties: the
        // ordinal first); every other outcome must be explained in the rule's note. Leaving the answer unmapped is never
        // the decision, however many rules do: a rule that reads the operation and neither maps the answer nor names the
        // code in its note deviates.
        foreach (var group in table.Values.GroupBy(r => (r.Answer.Operation.Service, r.Answer.Code, r.Answer.MessageContains)))
        {
            var decided = group.SelectMany(r => r.RulesByOutcome).Where(p => p.Key != Unmapped).GroupBy(p => p.Key, p => p.Value.Count)
                .OrderByDescending(g => g.Sum()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            foreach (var (answer, byOutcome) in group)
            {
                foreach (var (outcome, ids) in byOutcome.Where(p => p.Key != decided))
                {
                    problems.AddRange(ids.Where(id => !notes[id].Contains(answer.Code, StringComparison.Ordinal))
                        .Select(id => $"{id} gives {Describe(answer)} {outcome}; the pack decides {decided} (map it so, or say why in differsFromSraVerify, naming {answer.Code})"));
                }
            }
        }

        return problems;
    }

    /// <summary>The "Service answers" section of the evidence matrix.</summary>
    public static string Markdown(RuleSet rules)
    {
        var table = Collect(rules);
        if (table.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        text.Append("\n## Service answers\n\n");
        text.Append("Some AWS errors are not missing data but the service's own answer: the service is off in that account and Region, ");
        text.Append("or the thing asked for does not exist. Each such answer is decided once for the whole pack, per service: a check that ");
        text.Append("the service is enabled FAILs; a check of a setting inside the service gives the same outcome as the other checks of ");
        text.Append("that service (FAIL where SRA Verify fails it and the setting cannot be in place; NotApplicable where another rule ");
        text.Append("already reports the missing subscription, as for Shield Advanced). A real permission denial, throttling, a server ");
        text.Append("error or evidence not collected is always InsufficientData. When a code alone cannot tell the answer from a real ");
        text.Append("denial (Macie answers \"Macie is not enabled\" as an AccessDeniedException), the mapping also requires the message ");
        text.Append("(`messageContains`). A rule that gives an answer another outcome, or reads the operation and leaves the answer ");
        text.Append("unmapped, names the code in its differsFromSraVerify note; `dotnet test` fails otherwise (PackTests). Inspector's DescribeOrganizationConfiguration answers an account that is ");
        text.Append("not the delegated administrator with an AccessDeniedException that neither its code nor a documented message tells ");
        text.Append("from a missing permission, so it stays InsufficientData; SRA-INSPECTOR-06 FAILs a delegated administrator that is ");
        text.Append("not the Security Tooling account.\n\n");
        text.Append("| Operation | Error code | Message contains | Outcome: rules |\n|---|---|---|---|\n");
        foreach (var (answer, byOutcome) in table.Values)
        {
            var outcomes = string.Join("; ", byOutcome.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"));
            text.Append($"| `{answer.Operation}` | {answer.Code} | {(answer.MessageContains is { } m ? "\"" + m + "\"" : "(any)")} | {outcomes} |\n");
        }

        return text.ToString();
    }

    private const string Unmapped = "unmapped (InsufficientData unless the predicate decides)";

    private static string Key(Answer answer) => $"{answer.Operation}|{answer.Code}|{answer.MessageContains}";

    private static string Describe(Answer answer) =>
        $"{answer.Operation} {answer.Code}" + (answer.MessageContains is { } m ? $" (\"{m}\")" : string.Empty);

    private static void Add(SortedDictionary<string, SortedSet<string>> byOutcome, string outcome, string id)
    {
        if (!byOutcome.TryGetValue(outcome, out var ids))
        {
            byOutcome[outcome] = ids = new SortedSet<string>(StringComparer.Ordinal);
        }

        ids.Add(id);
    }
}
