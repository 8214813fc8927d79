using System.Text;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Documentation;

/// <summary>
/// Generates the pack's reference pages from the compiled rules, so the documentation can never drift from the
/// pack: docs/rules.md (every rule) and docs/evidence-matrix.md (every API call the pack reads, where and by whom;
/// the collector gathers exactly this).
/// </summary>
public static class RulePackDocs
{
    /// <summary>The rules reference.</summary>
    public static string RulesReference(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var text = new StringBuilder();
        var all = rules.Rules;
        text.Append("# Rules reference\n\n");
        text.Append("Generated from `policies/` by `dotnet test` (set `UPDATE_DOCS=1` to rewrite it); do not edit by hand.\n\n");
        text.Append($"{all.Count} rules: {all.Count(r => !r.Descriptor.IsExtension)} port SRA Verify checks, {all.Count(r => r.Descriptor.IsExtension)} are extensions beyond it. ");
        text.Append($"{all.Count(r => r.Descriptor.DiffersFromSraVerify is not null)} deliberately differ from SRA Verify's outcome (see each rule's note).\n\n");
        text.Append("| Service | Rules | Extensions |\n|---|---:|---:|\n");
        foreach (var group in all.GroupBy(r => r.Descriptor.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append($"| {group.Key} | {group.Count()} | {group.Count(r => r.Descriptor.IsExtension)} |\n");
        }

        foreach (var group in all.GroupBy(r => r.Descriptor.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append($"\n## {group.Key}\n\n");
            text.Append("| ID | Title | Severity | Account scope | Target | Origin |\n|---|---|---|---|---|---|\n");
            foreach (var rule in group)
            {
                var d = rule.Descriptor;
                text.Append($"| [{d.Id}](#{d.Id.ToLowerInvariant()}) | {Cell(d.Title)} | {d.DefaultSeverity.ToName()} | {Scope(rule)} | {rule.Target.ToName()} | {(d.IsExtension ? "extension" : "SRA Verify")} |\n");
            }

            foreach (var rule in group)
            {
                var d = rule.Descriptor;
                text.Append($"\n### {d.Id}\n\n**{Cell(d.Title)}** ({d.DefaultSeverity.ToName()}; `{d.SourceFile}`)\n\n");
                if (d.Description.Length > 0)
                {
                    text.Append(Flatten(d.Description)).Append("\n\n");
                }

                text.Append($"- Checks: {rule.Target.ToName()} subjects in {Scope(rule)}");
                text.Append(rule.Inputs.Count > 0 ? $", reading {string.Join(", ", rule.Inputs.Select(i => "`" + i.Operation + "`"))}" : string.Empty);
                text.Append(rule.Predicate is not null ? " (JavaScript predicate)\n" : "\n");
                if (d.Remediation.Length > 0)
                {
                    text.Append($"- Remediation: {Flatten(d.Remediation)}\n");
                }

                if (d.SraVerifyCheck is { } check)
                {
                    text.Append($"- SRA Verify: {check}\n");
                }

                if (d.SraExamplesSolution is { } solution)
                {
                    text.Append($"- SRA examples solution: `{solution}`\n");
                }

                if (d.DiffersFromSraVerify is { } differs)
                {
                    text.Append($"- Differs from SRA Verify: {Flatten(differs)}\n");
                }

                if (d.HelpUri is { } help)
                {
                    text.Append($"- Guidance: <{help}>\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The evidence matrix: one row per operation, with where it is read and which rules read it.</summary>
    public static string EvidenceMatrix(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var rows = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        void Add(OperationName operation, string where, string ruleId)
        {
            var key = operation.ToString();
            if (!rows.TryGetValue(key, out var places))
            {
                rows[key] = places = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            }

            if (!places.TryGetValue(where, out var ids))
            {
                places[where] = ids = new SortedSet<string>(StringComparer.Ordinal);
            }

            ids.Add(ruleId);
        }

        foreach (var rule in rules.Rules)
        {
            var id = rule.Descriptor.Id;
            var regional = rule.Target == TargetKind.AccountRegion || (rule.Target == TargetKind.Evidence && !rule.OperationIsGlobal);
            var subjectRegions = regional ? (rule.ScopeRegions.Count > 0 ? string.Join(", ", rule.ScopeRegions) : "governed regions") : "global";
            if (rule.Target == TargetKind.Evidence && rule.Operation is { } targetOperation)
            {
                Add(targetOperation, $"{Scope(rule)} / {subjectRegions}", id);
            }

            foreach (var input in rule.Inputs)
            {
                var accounts = input.Account == "subject" ? Scope(rule) : input.Account;
                var regions = input.Region switch
                {
                    "subject" => subjectRegions,
                    "governed" => "governed regions",
                    var literal => literal,
                };
                var parameters = input.Parameters.Count == 0 ? string.Empty
                    : " {" + string.Join(", ", input.Parameters.Select(p => p.Name + "=" + (p.Literal ?? p.Selector!.Text))) + "}";
                Add(input.Operation, $"{accounts} / {regions}{parameters}", id);
            }
        }

        var text = new StringBuilder();
        text.Append("# Evidence matrix\n\n");
        text.Append("Every AWS API call the rule pack reads: in which accounts and regions, with which identifying parameters, and which rules read it. ");
        text.Append("The collector (`collectors/*.yaml`) gathers these; the rule compiler rejects a rule that reads an operation the plan does not collect (PE1009).\n\n");
        text.Append("Generated from `policies/` by `dotnet test` (set `UPDATE_DOCS=1` to rewrite it); do not edit by hand.\n\n");
        text.Append($"{rows.Count} operations.\n\n");
        text.Append("| Operation | Accounts / regions {parameters} | Rules |\n|---|---|---|\n");
        foreach (var (operation, places) in rows)
        {
            foreach (var (where, ids) in places)
            {
                text.Append($"| `{operation}` | {Cell(where)} | {string.Join(", ", ids)} |\n");
            }
        }

        text.Append(ServiceAnswers.Markdown(rules));
        return text.ToString();
    }

    private static string Scope(CompiledRule rule) =>
        rule.Target == TargetKind.Organization ? "the organization (management account)"
        : rule.ScopeRoles.Count == 0 ? "every active account"
        : string.Join(" or ", rule.ScopeRoles) + " account(s)";

    private static string Flatten(string text) => string.Join(' ', text.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Trim();

    private static string Cell(string text) => Flatten(text).Replace("|", "\\|", StringComparison.Ordinal);
}
