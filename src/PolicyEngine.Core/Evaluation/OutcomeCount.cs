using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Evaluation;

/// <summary>
/// How many findings of one rule had one outcome without being listed in <see cref="EvaluationResult.Findings"/>
/// (see <see cref="EvaluationOptions.CountPassing"/>).
/// </summary>
/// <param name="Rule">The rule.</param>
/// <param name="Outcome">Pass or NotApplicable.</param>
/// <param name="Count">How many findings, at least one.</param>
public sealed record OutcomeCount(RuleDescriptor Rule, Outcome Outcome, int Count);
