namespace PolicyEngine.Core.Sharding;

/// <summary>
/// The diagnostic codes of sharded runs and <c>policy-engine merge</c> (PE91xx). Every one is an error: the command
/// writes nothing and exits 2. Documented in docs/diagnostics.md; docs/scaling.md shows how shards are run.
/// </summary>
public static class ShardDiagnosticCodes
{
    /// <summary><c>--shard</c> is not INDEX/COUNT with 0 ≤ INDEX &lt; COUNT (or its environment variable is not a number).</summary>
    public const string InvalidShard = "PE9100";

    /// <summary>A merge input cannot be read, is not JSON, or is neither a findings report nor a snapshot.</summary>
    public const string UnreadableInput = "PE9101";

    /// <summary>A findings report without a <c>shard</c> member (written without <c>--shard</c>) was given to merge.</summary>
    public const string NotAShardReport = "PE9102";

    /// <summary>Shard reports of different shard counts were given to merge.</summary>
    public const string ShardCountMismatch = "PE9103";

    /// <summary>Shard reports of different snapshots (path or content) were given to merge.</summary>
    public const string SnapshotMismatch = "PE9104";

    /// <summary>Shard reports of different packs, configurations or tool versions were given to merge.</summary>
    public const string PackMismatch = "PE9105";

    /// <summary>Two inputs are the same shard.</summary>
    public const string DuplicateShard = "PE9106";

    /// <summary>Some shards of the run are not among the inputs.</summary>
    public const string MissingShard = "PE9107";

    /// <summary>Merge was given findings reports and snapshots together.</summary>
    public const string MixedInputs = "PE9108";

    /// <summary>Snapshots are merged into a file, and no <c>--output</c> names it.</summary>
    public const string MergedSnapshotNeedsFile = "PE9109";
}
