using System.CommandLine;
using PolicyEngine.Core.Configuration;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Cli.Commands;

/// <summary>Options several commands share, and the rule-pack loading they all do.</summary>
internal static class CommonOptions
{
    /// <summary>The word that names the shipped SRA pack in <c>--rules</c>, wherever the tool is installed.</summary>
    public const string BuiltinPack = "builtin";

    public static Option<string[]> Rules() => new("--rules")
    {
        Description = $"Rule directories or files (repeatable). '{BuiltinPack}' names the SRA pack shipped with the tool, so "
            + $"'--rules {BuiltinPack} --rules ./acme' adds a pack to it (write ./{BuiltinPack} for a directory of that name). "
            + "Default: the shipped pack alone.",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The rule paths the user gave, without the shipped pack (whose test files do not ship with the tool).</summary>
    public static IReadOnlyList<string> UserRulePaths(string[]? rules) =>
        (rules ?? []).Where(r => r != BuiltinPack).ToArray();

    /// <summary>
    /// The rule paths to compile: the shipped pack when none are given, with the word <c>builtin</c> replaced by the
    /// shipped pack's directory (once, however often it is repeated: the same pack twice would only be duplicate ids).
    /// </summary>
    public static IReadOnlyList<string> ResolveRulePaths(string[]? rules) =>
        rules is { Length: > 0 }
            ? rules.Select(r => r == BuiltinPack ? DefaultPaths.Display(DefaultPaths.RulesDirectory) : r).Distinct(StringComparer.Ordinal).ToArray()
            : [DefaultPaths.Display(DefaultPaths.RulesDirectory)];

    /// <summary>The word that names the shipped collection plan in <c>--collectors</c>.</summary>
    public const string BuiltinPlan = "builtin";

    public static Option<string[]> Collectors() => new("--collectors")
    {
        Description = "Collection plan directories (repeatable) that tell the compiler which evidence is collected where and how it is typed. " +
                      "Default: the plan shipped with the tool; 'builtin' names it, e.g. --collectors builtin --collectors ./my-plan.",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The one plan directory <c>collect</c> runs and <c>sample-evidence</c> reads (they do not combine plans).</summary>
    public static Option<string?> CollectPlan() => new("--collectors")
    {
        Description = "The collection plan directory to run. Default: the plan shipped with the tool.",
    };

    public static Option<string?> Config() => new("--config")
    {
        Description = "Policy configuration: severity overrides, disabled rules, suppressions with justifications, sandbox limits.",
    };

    /// <summary>
    /// Loads the policy configuration when one is given. Its diagnostics go to <paramref name="diagnostics"/>; on errors
    /// the result is <see cref="PolicyConfig.Empty"/> (the caller exits 2 on any error diagnostic).
    /// </summary>
    public static PolicyConfig LoadConfig(string? path, ICollection<Diagnostic> diagnostics) =>
        path is null ? PolicyConfig.Empty : PolicyConfig.Load(path, diagnostics) ?? PolicyConfig.Empty;

    /// <summary>
    /// Loads the collection plan (every directory of <paramref name="collectors"/>, <c>builtin</c> meaning the shipped one;
    /// default: the shipped one), compiles the pack against its evidence catalogue, and prints every diagnostic to
    /// standard error, one per line. Plan errors stop before compiling.
    /// </summary>
    public static RuleCompilation CompilePack(string[]? rules, string[]? collectors, TextWriter error, Scripting.ScriptSandboxOptions? sandbox = null)
    {
        var directories = ResolveRulePaths(rules);
        var planDiagnostics = new List<Diagnostic>();
        var catalog = LoadCatalog(collectors, planDiagnostics);
        if (catalog is null)
        {
            var sorted = Diagnostic.Sort(planDiagnostics);
            foreach (var diagnostic in sorted)
            {
                error.WriteLine(diagnostic);
            }

            return new RuleCompilation(null, sorted);
        }

        var compilation = new RuleCompiler(catalog, sandbox).CompileDirectories(directories);
        foreach (var diagnostic in compilation.Diagnostics)
        {
            error.WriteLine(diagnostic);
        }

        return compilation;
    }

    /// <summary>The evidence catalogue of the plan directories given with --collectors; null (with diagnostics) when the plan has errors.</summary>
    public static Core.Rules.Model.OperationCatalog? LoadCatalog(string[]? collectors, ICollection<Diagnostic> diagnostics)
    {
        var builtin = DefaultPaths.Display(DefaultPaths.CollectorsDirectory);
        IReadOnlyList<string> plans = collectors is { Length: > 0 }
            ? [.. collectors.Select(c => c == BuiltinPlan ? builtin : c).Distinct(StringComparer.Ordinal)]
            : [builtin];
        return Aws.Plan.CollectionPlan.Load(plans, diagnostics)?.ToCatalog();
    }
}
