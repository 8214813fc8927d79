using PolicyEngine.Aws.Plan;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Policies.Tests;

/// <summary>
/// The collector gathers exactly what the rules need: every input of every shipped rule must be collected by the
/// plan in the accounts and regions the rule reads it from. (An unknown operation is already a compile error,
/// PE1009; this checks where it is collected.)
/// </summary>
public sealed class CollectionPlanCoverageTests
{
    [Fact]
    public void Every_rule_input_is_collected_where_the_rule_reads_it()
    {
        Assert.True(SraPack.Compilation.Success, string.Join("\n", SraPack.Compilation.Diagnostics));
        var plan = CollectionPlan.Load(RepositoryPaths.Collectors);
        var scopes = plan.Entries.GroupBy(e => (e.Service, e.Operation)).ToDictionary(g => g.Key, g => g.Select(e => e.Scope).ToHashSet());
        var problems = new List<string>();
        foreach (var rule in SraPack.Compilation.RuleSet!.Rules)
        {
            var reads = rule.Inputs.Select(i => (i.Operation, i.Account, i.Region, i.Name)).ToList();
            if (rule.Target == TargetKind.Evidence && rule.Operation is { } targetOperation)
            {
                reads.Add((targetOperation, "subject", rule.OperationIsGlobal ? "global" : "subject", "(target)"));
            }

            foreach (var (operation, account, region, name) in reads)
            {
                if (!scopes.TryGetValue((operation.Service, operation.Operation), out var collected))
                {
                    problems.Add($"{rule.Descriptor.Id} input {name}: {operation} is not in the plan");
                    continue;
                }

                // The roles whose accounts the rule reads the evidence from; empty means every account.
                var roles = account switch
                {
                    "subject" when rule.Target == TargetKind.Organization => [SraRoles.Management],
                    "subject" => rule.ScopeRoles,
                    var role when SraRoles.IsRole(role) => [role],
                    _ => (IReadOnlyList<string>)[],
                };
                var regional = region != "global";
                if (!collected.Any(scope => Covers(scope, roles, regional)))
                {
                    problems.Add($"{rule.Descriptor.Id} input {name}: reads {operation} in {(roles.Count == 0 ? "every account" : string.Join("/", roles))}, " +
                                 $"{(regional ? "per region" : "globally")}, but the plan collects it as {string.Join(", ", collected.Order(StringComparer.Ordinal))}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool Covers(string scope, IReadOnlyList<string> roles, bool regional)
    {
        if (PlanScopes.IsRegional(scope) != regional && scope != PlanScopes.Organization)
        {
            return false;
        }

        var planRole = scope switch
        {
            PlanScopes.Organization => SraRoles.Management,
            PlanScopes.Account or PlanScopes.AccountRegion => null,
            _ => scope.Replace("-region", string.Empty, StringComparison.Ordinal),
        };
        if (scope == PlanScopes.Organization && regional)
        {
            return false;
        }

        return planRole is null || (roles.Count > 0 && roles.All(r => r == planRole));
    }
}
