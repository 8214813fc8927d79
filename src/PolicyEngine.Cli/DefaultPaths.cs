using PolicyEngine.Aws.Plan;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Cli;

/// <summary>Where the shipped rule pack and collection plan live.</summary>
internal static class DefaultPaths
{
    /// <summary>The SRA pack shipped beside the executable.</summary>
    public static string RulesDirectory => Path.Combine(AppContext.BaseDirectory, "policies");

    /// <summary>The rule-test fixtures shipped beside the executable: the default source of <c>fixture: NAME</c>.</summary>
    public static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "policies", "fixtures");

    /// <summary>The collection plan shipped beside the executable.</summary>
    public static string CollectorsDirectory => Path.Combine(AppContext.BaseDirectory, "collectors");

    /// <summary>The JSON Schemas shipped beside the executable.</summary>
    public static string SchemasDirectory => Path.Combine(AppContext.BaseDirectory, "schemas");

    /// <summary>Shows a path relative to the working directory when that is shorter, for readable diagnostics.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return (relative.Length < path.Length ? relative : path).Replace('\\', '/');
    }

    /// <summary>The evidence catalogue of one plan directory (tests use it); throws when the plan has errors.</summary>
    public static OperationCatalog LoadCatalog(string collectorsDirectory)
    {
        var diagnostics = new List<Core.Diagnostics.Diagnostic>();
        return CollectionPlan.Load([collectorsDirectory], diagnostics)?.ToCatalog()
               ?? throw new InvalidDataException(string.Join(Environment.NewLine, diagnostics));
    }
}
