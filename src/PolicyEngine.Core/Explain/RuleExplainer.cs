using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Explain;

/// <summary>The trace of one subject: every event from its <see cref="SubjectTrace"/> to the next one.</summary>
/// <param name="Subject">The dispatched subject.</param>
/// <param name="Events">Its events, the <see cref="SubjectTrace"/> first.</param>
public sealed record ExplainedSubject(FindingSubject Subject, IReadOnlyList<TraceEvent> Events);

/// <summary>What <c>evaluate --explain</c> shows: one rule and the traces of its (matching) subjects.</summary>
/// <param name="Rule">The rule explained.</param>
/// <param name="Snapshot">The snapshot file.</param>
/// <param name="SubjectFilter">The <c>--subject</c> filter, when one was given.</param>
/// <param name="Subjects">The subjects, in evaluation order.</param>
/// <param name="DisabledByConfiguration">True when the configuration disables the rule, so nothing was evaluated.</param>
public sealed record Explanation(CompiledRule Rule, string Snapshot, string? SubjectFilter, IReadOnlyList<ExplainedSubject> Subjects,
    bool DisabledByConfiguration);

/// <summary>
/// Evaluates one rule with a trace (see <see cref="IEvaluationTracer"/>), optionally for the subjects matching
/// <c>ACCOUNT[/REGION][/RESOURCE]</c>, for <c>evaluate --explain</c>. Rendering is <see cref="ExplainWriter"/>'s.
/// </summary>
public static class RuleExplainer
{
    /// <summary>Explains a rule over a snapshot.</summary>
    /// <param name="rules">The compiled pack.</param>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="ruleId">The rule to explain.</param>
    /// <param name="subjectFilter"><c>ACCOUNT</c>, <c>ACCOUNT/REGION</c> or <c>ACCOUNT/REGION/RESOURCE</c>; null for every subject.</param>
    /// <param name="options">Evaluation options (configuration, sandbox); the tracer is set here.</param>
    /// <param name="diagnostics">Receives PE3010 (unknown rule) or PE3011 (no matching subject), with did-you-mean.</param>
    /// <returns>The explanation, or null when a diagnostic says why there is none.</returns>
    public static Explanation? Explain(RuleSet rules, Snapshot snapshot, string ruleId, string? subjectFilter, EvaluationOptions? options,
        ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(ruleId);
        ArgumentNullException.ThrowIfNull(diagnostics);
        options ??= new EvaluationOptions();

        if (rules.Find(ruleId) is not { } rule)
        {
            var suggestion = YamlValues.Closest(ruleId, rules.Rules.Select(r => r.Descriptor.Id));
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownExplainRule, SourceLocation.None,
                $"--explain: the pack has no rule '{ruleId}'." +
                (suggestion is null ? " Run 'policy-engine list-rules' to see the rule ids." : $" Did you mean '{suggestion}'?")));
            return null;
        }

        if (!options.Config.IsEnabled(rule.Descriptor))
        {
            return new Explanation(rule, snapshot.File, subjectFilter, [], DisabledByConfiguration: true);
        }

        var recorder = new TraceRecorder();
        Evaluator.Evaluate(new RuleSet([rule]), snapshot, options with { Tracer = recorder });
        var subjects = Group(recorder.Events);
        if (subjectFilter is null)
        {
            return new Explanation(rule, snapshot.File, null, subjects, false);
        }

        var filter = SubjectFilter.Parse(subjectFilter);
        var matching = subjects.Where(s => s.Events.Any(e => filter.Matches(e.Subject))).ToArray();
        if (matching.Length > 0)
        {
            return new Explanation(rule, snapshot.File, subjectFilter, matching, false);
        }

        var names = subjects.SelectMany(s => s.Events.Select(e => SubjectFilter.Name(e.Subject))).Distinct(StringComparer.Ordinal).ToArray();

        // Suggest at the filter's own granularity: an account for an account, account/region for account/region.
        var parts = subjectFilter.Split('/', 3).Length;
        var closest = YamlValues.Closest(subjectFilter, names.Select(n => string.Join('/', n.Split('/', 3).Take(parts))).Distinct(StringComparer.Ordinal));
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownExplainSubject, SourceLocation.None,
            $"--subject: rule {rule.Descriptor.Id} has no subject '{subjectFilter}'." +
            (closest is not null ? $" Did you mean '{closest}'?" : string.Empty) +
            (names.Length == 0 ? " It has no subjects in this snapshot."
                : $" Write ACCOUNT, ACCOUNT/REGION or ACCOUNT/REGION/RESOURCE; its subjects are: {string.Join(", ", names.Take(5))}{(names.Length > 5 ? $" (and {names.Length - 5} more)" : string.Empty)}.")));
        return null;
    }

    private static List<ExplainedSubject> Group(IReadOnlyList<TraceEvent> events)
    {
        var subjects = new List<ExplainedSubject>();
        List<TraceEvent>? current = null;
        foreach (var traceEvent in events)
        {
            if (traceEvent is SubjectTrace)
            {
                current = [];
                subjects.Add(new ExplainedSubject(traceEvent.Subject, current));
            }

            current?.Add(traceEvent);
        }

        return subjects;
    }

    /// <summary>A parsed <c>--subject</c>: account, then optionally region, then optionally the resource (which may contain '/').</summary>
    private sealed record SubjectFilter(string Account, string? Region, string? Resource)
    {
        public static SubjectFilter Parse(string text)
        {
            var parts = text.Split('/', 3);
            return new SubjectFilter(parts[0], parts.Length > 1 ? parts[1] : null, parts.Length > 2 ? parts[2] : null);
        }

        public static string Name(FindingSubject subject) => $"{subject.Account ?? "-"}/{subject.Region ?? "-"}/{subject.Resource ?? "-"}";

        public bool Matches(FindingSubject subject) =>
            string.Equals(subject.Account ?? "-", Account, StringComparison.Ordinal)
            && (Region is null || string.Equals(subject.Region ?? "-", Region, StringComparison.Ordinal))
            && (Resource is null || string.Equals(subject.Resource ?? "-", Resource, StringComparison.Ordinal));
    }
}
