namespace PolicyEngine.JsonPath;

/// <summary>
/// The location of the node a selector is applied to, materialized only when a selector actually emits a
/// child; during a descendant walk most visited nodes never need one.
/// </summary>
internal readonly struct ParentPath
{
    private readonly NormalizedPath? _path;
    private readonly DescendantWalker? _walker;
    private readonly int _frame;

    public ParentPath(NormalizedPath? path)
    {
        _path = path;
        _walker = null;
        _frame = 0;
    }

    public ParentPath(DescendantWalker walker, int frame)
    {
        _path = null;
        _walker = walker;
        _frame = frame;
    }

    /// <summary>The path, or null when the evaluation does not track locations (inside filters).</summary>
    public NormalizedPath? Get() => _walker is null ? _path : _walker.Materialize(_frame);
}
