using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Testing;

/// <summary>
/// Records, for one case, which <c>where</c> and <c>assert</c> conditions were evaluated true and which false, from the
/// evaluator's trace (<see cref="ConditionTrace"/>); a condition is identified by its location in the rule file.
/// </summary>
internal sealed class ConditionCoverageRecorder : IEvaluationTracer
{
    private readonly Dictionary<SourceLocation, (bool True, bool False)> _verdicts = [];

    public void Trace(TraceEvent traceEvent)
    {
        if (traceEvent is ConditionTrace condition && condition.Verdict is Verdict.Holds or Verdict.Fails)
        {
            var seen = _verdicts.GetValueOrDefault(condition.Location);
            _verdicts[condition.Location] = condition.Verdict == Verdict.Holds ? (true, seen.False) : (seen.True, true);
        }
    }

    /// <summary>Every condition of the rule, in source order, with the verdicts any of the cases recorded.</summary>
    public static IReadOnlyList<ConditionCoverage> Merge(CompiledRule rule, IEnumerable<ConditionCoverageRecorder> recorders)
    {
        var all = recorders.ToList();
        var conditions = new List<(string Clause, Condition Condition)>();
        Collect("where", rule.Where, conditions);
        Collect("assert", rule.Assert, conditions);
        return conditions
            .OrderBy(c => c.Condition.Location)
            .Select(c => new ConditionCoverage(c.Clause, c.Condition.Location, Describe(c.Condition),
                all.Any(r => r._verdicts.GetValueOrDefault(c.Condition.Location).True),
                all.Any(r => r._verdicts.GetValueOrDefault(c.Condition.Location).False)))
            .ToList();
    }

    private static void Collect(string clause, Condition? condition, List<(string, Condition)> into)
    {
        if (condition is null)
        {
            return;
        }

        // A list of one condition compiles to an 'all' of one: its verdict is its operand's, so only the operand is listed.
        if (condition is not (AllCondition { Conditions.Count: 1 } or AnyCondition { Conditions.Count: 1 }))
        {
            into.Add((clause, condition));
        }

        switch (condition)
        {
            case AllCondition all:
                all.Conditions.ToList().ForEach(c => Collect(clause, c, into));
                break;
            case AnyCondition any:
                any.Conditions.ToList().ForEach(c => Collect(clause, c, into));
                break;
            case NotCondition not:
                Collect(clause, not.Inner, into);
                break;
        }
    }

    private static string Describe(Condition condition) => condition switch
    {
        AllCondition all => $"all of {all.Conditions.Count}",
        AnyCondition any => $"any of {any.Conditions.Count}",
        NotCondition => "not",
        PathCondition path => $"{path.Input} {path.Path} {(path.Quantifier == Quantifier.Any ? "any " : string.Empty)}{path.Test.Describe()}",
        _ => condition.GetType().Name,
    };
}
