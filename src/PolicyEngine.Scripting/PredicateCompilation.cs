namespace PolicyEngine.Scripting;

/// <summary>The outcome of <see cref="PredicateCompiler.Compile"/>: a predicate, or the diagnostics explaining why there is none.</summary>
public sealed class PredicateCompilation
{
    internal PredicateCompilation(CompiledPredicate? predicate, IReadOnlyList<ScriptDiagnostic> diagnostics)
    {
        Predicate = predicate;
        Diagnostics = diagnostics;
    }

    /// <summary>The compiled predicate; <see langword="null"/> when <see cref="Diagnostics"/> holds an error.</summary>
    public CompiledPredicate? Predicate { get; }

    /// <summary>Compile diagnostics; empty on success.</summary>
    public IReadOnlyList<ScriptDiagnostic> Diagnostics { get; }
}
