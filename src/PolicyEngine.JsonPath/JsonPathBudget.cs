namespace PolicyEngine.JsonPath;

/// <summary>
/// A bound on the work of one evaluation, for callers that run queries written by someone else (a rule's predicate).
/// Every node the evaluation selects, in any segment or filter argument, and every node a descendant segment visits,
/// spends one unit; past <see cref="MaxNodes"/> the evaluation stops with <see cref="JsonPathBudgetExceededException"/>.
/// A query such as <c>$..*..*..*</c> selects a number of nodes that grows with the cube of the document's depth times
/// its size: without a budget, it can take minutes and gigabytes.
/// </summary>
public sealed class JsonPathBudget
{
    private const int CheckpointInterval = 4096;
    private readonly Action? _checkpoint;
    private long _spent;

    /// <summary>Creates a budget.</summary>
    /// <param name="maxNodes">The most nodes the evaluation may select or visit.</param>
    /// <param name="checkpoint">Called every few thousand nodes; the caller may throw from it, e.g. when its time is up.</param>
    public JsonPathBudget(long maxNodes, Action? checkpoint = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNodes);
        MaxNodes = maxNodes;
        _checkpoint = checkpoint;
    }

    /// <summary>The most nodes the evaluation may select or visit.</summary>
    public long MaxNodes { get; }

    /// <summary>The nodes spent so far.</summary>
    public long Spent => _spent;

    internal void Spend()
    {
        if (++_spent > MaxNodes)
        {
            throw new JsonPathBudgetExceededException(MaxNodes);
        }

        if (_spent % CheckpointInterval == 0)
        {
            _checkpoint?.Invoke();
        }
    }
}

/// <summary>Thrown when an evaluation spends more than its <see cref="JsonPathBudget"/>.</summary>
public sealed class JsonPathBudgetExceededException : Exception
{
    /// <summary>Creates the exception for a budget of <paramref name="maxNodes"/>.</summary>
    public JsonPathBudgetExceededException(long maxNodes)
        : base($"The query selects or visits more than {maxNodes:N0} nodes, the most this evaluation may.") => MaxNodes = maxNodes;

    /// <summary>Creates the exception.</summary>
    public JsonPathBudgetExceededException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JsonPathBudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JsonPathBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The budget that was exceeded.</summary>
    public long MaxNodes { get; }
}
