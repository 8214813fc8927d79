namespace PolicyEngine.Core.Evaluation;

/// <summary>The three-valued result of a condition: it holds, it does not, or the data to decide is missing.</summary>
public enum Verdict
{
    /// <summary>The condition is true.</summary>
    Holds,

    /// <summary>The condition is false.</summary>
    Fails,

    /// <summary>The condition could not be decided: data it reads is missing (neither true nor false).</summary>
    Insufficient,
}
