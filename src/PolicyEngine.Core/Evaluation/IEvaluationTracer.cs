namespace PolicyEngine.Core.Evaluation;

/// <summary>
/// Observes how rules are evaluated: which evidence each subject's inputs found, which nodes each <c>where</c> and
/// <c>assert</c> condition selected and what it decided, the <c>forEach</c> items, what predicates returned and logged,
/// and the outcome. <c>evaluate --explain</c> and condition coverage are built on it.
/// </summary>
/// <remarks>
/// <para>Set it with <see cref="EvaluationOptions.Tracer"/>. Without a tracer the evaluator builds no trace events at
/// all, so tracing costs nothing when it is off.</para>
/// <para>With a tracer, the evaluation runs on one thread, in a fixed order (rules by id, then subjects in dispatch
/// order: accounts by id, then regions), so events arrive one at a time and in the same order for the same inputs;
/// an implementation needs no locking. The events of one (rule, subject) pair are: one <see cref="SubjectTrace"/>,
/// then its <see cref="InputTrace"/>, <see cref="ForEachTrace"/>, <see cref="ConditionTrace"/> and
/// <see cref="PredicateTrace"/> events in evaluation order, then one <see cref="OutcomeTrace"/> per finding it
/// produced (one per forEach item).</para>
/// <para>Events hold <see cref="System.Text.Json.JsonElement"/>s of the snapshot: use them before the snapshot is
/// disposed.</para>
/// </remarks>
public interface IEvaluationTracer
{
    /// <summary>Receives one event. Called on the evaluating thread; must not throw.</summary>
    /// <param name="traceEvent">The event; pattern-match on its type.</param>
    void Trace(TraceEvent traceEvent);
}

/// <summary>An <see cref="IEvaluationTracer"/> that keeps every event, in order.</summary>
public sealed class TraceRecorder : IEvaluationTracer
{
    private readonly List<TraceEvent> _events = [];

    /// <summary>The events received so far, in the order they arrived.</summary>
    public IReadOnlyList<TraceEvent> Events => _events;

    /// <inheritdoc/>
    public void Trace(TraceEvent traceEvent)
    {
        ArgumentNullException.ThrowIfNull(traceEvent);
        _events.Add(traceEvent);
    }
}
