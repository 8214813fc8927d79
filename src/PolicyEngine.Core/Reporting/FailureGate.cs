using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Reporting.Baselines;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Reporting;

/// <summary>
/// What decides <c>--fail-on</c> and <c>--fail-on-new</c>: an unsuppressed finding at or above the threshold whose outcome
/// is Fail, or InsufficientData or Error unless those are allowed (missing evidence is not a pass).
/// </summary>
public static class FailureGate
{
    /// <summary>True when a finding reaches the gate.</summary>
    /// <param name="findings">The (filtered) findings.</param>
    /// <param name="threshold">The lowest severity that fails.</param>
    /// <param name="allowInsufficient">Do not count InsufficientData and Error findings.</param>
    /// <param name="newSince">When set, only findings new since this baseline count.</param>
    public static bool Fails(IEnumerable<Finding> findings, RuleSeverity threshold, bool allowInsufficient, BaselineComparison? newSince = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return findings.Any(f => f.Suppression is null && f.Severity >= threshold
            && (f.Outcome == Outcome.Fail || (!allowInsufficient && f.Outcome is Outcome.InsufficientData or Outcome.Error))
            && (newSince is null || newSince.StatusOf(f) == BaselineStatus.New));
    }
}
