using Acornima.Ast;
using Jint;

namespace PolicyEngine.Scripting;

/// <summary>
/// A parsed and prepared predicate. Immutable and thread-safe: share it across threads, runners and snapshots.
/// </summary>
public sealed class CompiledPredicate
{
    internal CompiledPredicate(Prepared<Script> prepared, string source, string sourceName)
    {
        Prepared = prepared;
        Source = source;
        SourceName = sourceName;
    }

    /// <summary>The predicate body as written in the rule.</summary>
    public string Source { get; }

    /// <summary>The name given at compile time (for example <c>policies/x.yaml#/rules/3/predicate</c>).</summary>
    public string SourceName { get; }

    /// <summary>The wrapped program; evaluating it yields the predicate function. Thread-safe per Jint's contract.</summary>
    internal Prepared<Script> Prepared { get; }
}
