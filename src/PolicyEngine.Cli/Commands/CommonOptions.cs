using System.CommandLine;
using PolicyEngine.Core.Configuration;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;

namespace PolicyEngine.Cli.Commands;

/// <summary>Options several commands share, and the rule-pack loading they all do.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Rules() => new("--rules")
    {
        Description = "Rule directories or files (repeatable). Default: the SRA pack shipped with the tool.",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<string?> Collectors() => new("--collectors")
    {
        Description = "The collection plan directory that defines the known operations. Default: the plan shipped with the tool.",
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

    /// <summary>Compiles the pack and prints its diagnostics to standard error, one per line.</summary>
    public static RuleCompilation CompilePack(string[]? rules, string? collectors, TextWriter error, Scripting.ScriptSandboxOptions? sandbox = null)
    {
        var directories = rules is { Length: > 0 } ? rules : [DefaultPaths.Display(DefaultPaths.RulesDirectory)];
        var plan = collectors ?? DefaultPaths.CollectorsDirectory;
        Core.Rules.Model.OperationCatalog catalog;
        try
        {
            catalog = DefaultPaths.LoadCatalog(plan);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            var diagnostic = Diagnostic.Error(DiagnosticCodes.UnreadableFile, new SourceLocation(DefaultPaths.Display(plan), 0, 0),
                $"Cannot load the collection plan: {ex.Message}");
            error.WriteLine(diagnostic);
            return new RuleCompilation(null, [diagnostic]);
        }

        var compilation = new RuleCompiler(catalog, sandbox).CompileDirectories(directories);
        foreach (var diagnostic in compilation.Diagnostics)
        {
            error.WriteLine(diagnostic);
        }

        return compilation;
    }
}
