using PolicyEngine.Aws.Plan;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Cli;

/// <summary>Where the shipped rule pack and collection plan live, and the operation catalog built from the plan.</summary>
internal static class DefaultPaths
{
    /// <summary>The SRA pack shipped beside the executable.</summary>
    public static string RulesDirectory => Path.Combine(AppContext.BaseDirectory, "policies");

    /// <summary>The rule-test fixtures shipped beside the executable: the default source of <c>fixture: NAME</c>.</summary>
    public static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "policies", "fixtures");

    /// <summary>The collection plan shipped beside the executable.</summary>
    public static string CollectorsDirectory => Path.Combine(AppContext.BaseDirectory, "collectors");

    /// <summary>Shows a path relative to the working directory when that is shorter, for readable diagnostics.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return (relative.Length < path.Length ? relative : path).Replace('\\', '/');
    }

    /// <summary>The operations a snapshot can hold: those the collection plan gathers.</summary>
    public static OperationCatalog LoadCatalog(string collectorsDirectory) =>
        FromPlan(CollectionPlan.Load(collectorsDirectory));

    /// <summary>Maps the plan's scopes to the rule compiler's.</summary>
    public static OperationCatalog FromPlan(CollectionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new OperationCatalog(plan.Entries
            .GroupBy(e => new OperationName(e.Service, e.Operation))
            .Select(g => new KeyValuePair<OperationName, CollectionScope>(g.Key, g.First().Scope switch
            {
                PlanScopes.Organization => CollectionScope.Organization,
                var scope when PlanScopes.IsRegional(scope) => CollectionScope.AccountRegion,
                _ => CollectionScope.Account,
            })));
    }
}
