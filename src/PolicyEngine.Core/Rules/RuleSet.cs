using System.Collections.Frozen;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Rules;

/// <summary>
/// A compiled rule pack: immutable, thread-safe, and reusable across any number of snapshots. Rules are kept in
/// id order so every report lists them the same way.
/// </summary>
public sealed class RuleSet
{
    private readonly FrozenDictionary<string, CompiledRule> _byId;

    internal RuleSet(IEnumerable<CompiledRule> rules)
    {
        Rules = rules.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();
        _byId = Rules.ToFrozenDictionary(r => r.Descriptor.Id, StringComparer.Ordinal);
    }

    /// <summary>The rules, sorted by id.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; }

    /// <summary>Finds a rule by id.</summary>
    public CompiledRule? Find(string id) => _byId.GetValueOrDefault(id);
}

/// <summary>The result of compiling a pack: the rule set (when there are no errors) and every diagnostic, sorted.</summary>
/// <param name="RuleSet">The compiled rules; null when any error was found.</param>
/// <param name="Diagnostics">All problems found, sorted by location.</param>
public sealed record RuleCompilation(RuleSet? RuleSet, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when there are no errors.</summary>
    public bool Success => RuleSet is not null;
}
