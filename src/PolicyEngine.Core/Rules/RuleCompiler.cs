using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Rules.Checks;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Yaml;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Rules;

/// <summary>A rule file's text, with the path diagnostics should show.</summary>
/// <param name="Path">The path shown in diagnostics (as the user would type it).</param>
/// <param name="RelativePath">The path relative to its rules directory (shown in reports).</param>
/// <param name="Text">The YAML text.</param>
public sealed record RuleSource(string Path, string RelativePath, string Text);

/// <summary>
/// Compiles rule packs, Roslyn-style: every problem in every file becomes a coded diagnostic at file:line:col,
/// all reported together and sorted. The stages run in this order, each on the previous one's output:
/// <list type="number">
/// <item><description>Load: find *.yaml files (rule test files, *.tests.yaml, are not rules).</description></item>
/// <item><description>Parse: safe YAML → positioned tree (no aliases, bounded depth and size).</description></item>
/// <item><description>Bind: tree → descriptor and compiled body (selectors, regexes, inputs, predicates).</description></item>
/// <item><description>Link: checks across rules (duplicate ids).</description></item>
/// <item><description>Check: each rule against the evidence catalogue, i.e. whether the collection plan gathers what it reads
/// where it reads it (PE1040) and types what it compares as a number (PE1041). Warnings only.</description></item>
/// </list>
/// </summary>
public sealed class RuleCompiler
{
    private readonly OperationCatalog _catalog;
    private readonly ScriptSandboxOptions _sandbox;

    /// <summary>Creates a compiler that checks operations against <paramref name="catalog"/>.</summary>
    public RuleCompiler(OperationCatalog catalog, ScriptSandboxOptions? sandbox = null)
    {
        _catalog = catalog;
        _sandbox = sandbox ?? ScriptSandboxOptions.Default;
    }

    /// <summary>Loads and compiles every rule under the given directories (or single files).</summary>
    public RuleCompilation CompileDirectories(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var diagnostics = new List<Diagnostic>();
        var sources = new List<RuleSource>();
        foreach (var path in paths)
        {
            sources.AddRange(Load(path, diagnostics));
        }

        if (sources.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoRules, new SourceLocation(string.Join(", ", paths), 0, 0),
                "No rule files (*.yaml) were found. Point --rules at a directory of rules."));
        }

        return Compile(sources, diagnostics);
    }

    /// <summary>Compiles rule sources that are already in memory.</summary>
    public RuleCompilation Compile(IEnumerable<RuleSource> sources, IEnumerable<Diagnostic>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var diagnostics = new List<Diagnostic>(earlier ?? []);
        var rules = new List<CompiledRule>();

        // Files are parsed and bound independently, in parallel (most of a cold start is this, mostly JIT work that a
        // second core shares); their rules and diagnostics are then taken in source order, as a sequential pass would.
        var files = sources as IReadOnlyList<RuleSource> ?? [.. sources];
        var compiled = new CompiledFile[files.Count];
        try
        {
            Parallel.For(0, files.Count, i => compiled[i] = CompileFile(files[i]));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        for (var i = 0; i < files.Count; i++)
        {
            var (rule, fileDiagnostics, noRoot) = compiled[i];
            var source = files[i];
            if (noRoot && source.Text.Trim().Length == 0 && !diagnostics.Any(d => d.Location.File == source.Path)
                && !fileDiagnostics.Any(d => d.Location.File == source.Path))
            {
                fileDiagnostics.Add(Diagnostic.Error(DiagnosticCodes.MissingKey, new SourceLocation(source.Path, 1, 1), "The rule file is empty."));
            }

            diagnostics.AddRange(fileDiagnostics);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        Link(rules, diagnostics);
        foreach (var rule in rules)
        {
            EvidenceCatalogCheck.Check(rule, _catalog, diagnostics);
        }

        var sorted = Diagnostic.Sort(diagnostics);
        var hasErrors = sorted.Any(d => d.Severity == DiagnosticSeverity.Error);
        return new RuleCompilation(hasErrors ? null : new RuleSet(rules), sorted);
    }

    /// <summary>One file's rule (null when it yields none), its diagnostics, and whether it had no YAML root at all.</summary>
    private readonly record struct CompiledFile(CompiledRule? Rule, List<Diagnostic> Diagnostics, bool NoRoot);

    /// <summary>Parses and binds one file; touches nothing shared, so files compile in parallel.</summary>
    private CompiledFile CompileFile(RuleSource source)
    {
        var diagnostics = new List<Diagnostic>();
        var recovery = SafeYamlReader.ReadRecovering(source.Text, source.Path, diagnostics);
        if (recovery.Root is not { } root)
        {
            return new CompiledFile(null, diagnostics, NoRoot: true);
        }

        var bound = diagnostics.Count;
        var rule = new RuleBinder(source.Path, recovery.Text, _catalog, _sandbox, diagnostics).Bind(root, source.RelativePath);
        if (recovery.Excised.Count > 0)
        {
            // Bound past its syntax errors only to report the file's other mistakes: it yields no rule, and what
            // the binder says about the entries set aside (a null value, an input that is now missing) follows
            // from the syntax errors already reported.
            RemoveConsequences(diagnostics, bound, recovery, root);
            return new CompiledFile(null, diagnostics, NoRoot: false);
        }

        return new CompiledFile(rule, diagnostics, NoRoot: false);
    }

    /// <summary>Removes, from the binder's diagnostics (from index <paramref name="from"/>), those that the set-aside entries cause.</summary>
    private static void RemoveConsequences(List<Diagnostic> diagnostics, int from, YamlRecovery recovery, YamlNode root)
    {
        var inputsIncomplete = root is YamlMapping mapping && LinesOf(mapping, "inputs") is var (first, last)
            && recovery.Excised.Any(e => e.First <= last - 1 && e.Last >= first - 1);
        for (var i = diagnostics.Count - 1; i >= from; i--)
        {
            var diagnostic = diagnostics[i];
            if (recovery.IsExcised(diagnostic.Location.Line)
                || (inputsIncomplete && diagnostic.Code is DiagnosticCodes.UnknownInput or DiagnosticCodes.UndeclaredPredicateInput))
            {
                diagnostics.RemoveAt(i);
            }
        }
    }

    /// <summary>The 1-based lines from a top-level key to the line before the next top-level key (or the end).</summary>
    private static (int First, int Last)? LinesOf(YamlMapping mapping, string key)
    {
        if (mapping.KeyNode(key) is not { } node)
        {
            return null;
        }

        var next = mapping.Entries.Select(e => e.Key.Start.Line).Where(line => line > node.Start.Line).DefaultIfEmpty(int.MaxValue).Min();
        return (node.Start.Line, next == int.MaxValue ? int.MaxValue : next - 1);
    }

    private static void Link(List<CompiledRule> rules, List<Diagnostic> diagnostics)
    {
        foreach (var group in rules.GroupBy(r => r.Descriptor.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            // Source order: with several packs (--rules builtin --rules ./acme) the rule of the earlier pack is the original.
            var ordered = group.ToList();
            foreach (var duplicate in ordered.Skip(1))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateRuleId, duplicate.Location,
                    $"Rule id '{group.Key}' is already used at {ordered[0].Location}; every rule needs its own id."));
            }

            rules.RemoveAll(r => ordered.Skip(1).Contains(r));
        }
    }

    /// <summary>Reads the rule files under a directory (or one file) without compiling them; problems go to <paramref name="diagnostics"/>.</summary>
    public static IReadOnlyList<RuleSource> LoadSources(string path, List<Diagnostic> diagnostics) => Load(path, diagnostics);

    private static List<RuleSource> Load(string path, List<Diagnostic> diagnostics)
    {
        var sources = new List<RuleSource>();
        try
        {
            if (File.Exists(path))
            {
                if (Utf8TextFile.Read(path, path, DiagnosticCodes.UnreadableFile, diagnostics) is { } single)
                {
                    sources.Add(new RuleSource(path, Path.GetFileName(path), single));
                }

                return sources;
            }

            if (!Directory.Exists(path))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, new SourceLocation(path, 0, 0),
                    "The rules path does not exist. Check the --rules argument."));
                return sources;
            }

            var files = Directory.EnumerateFiles(path, "*.yaml", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(path, "*.yml", SearchOption.AllDirectories))
                .Where(f => !IsTestFile(f))
                .Select(f => (Full: f, Relative: Path.GetRelativePath(path, f).Replace('\\', '/')))
                .OrderBy(f => f.Relative, StringComparer.Ordinal);
            foreach (var (full, relative) in files)
            {
                var display = Path.Combine(path, relative).Replace('\\', '/');
                if (Utf8TextFile.Read(full, display, DiagnosticCodes.UnreadableFile, diagnostics) is { } text)
                {
                    sources.Add(new RuleSource(display, relative, text));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, new SourceLocation(path, 0, 0), $"Cannot read rules: {ex.Message}"));
        }

        return sources;
    }

    /// <summary>Rule test files sit beside rules but are not rules.</summary>
    public static bool IsTestFile(string path) =>
        path.EndsWith(".tests.yaml", StringComparison.Ordinal) || path.EndsWith(".tests.yml", StringComparison.Ordinal);
}
