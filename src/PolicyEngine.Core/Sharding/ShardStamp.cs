using System.Text.Json;

namespace PolicyEngine.Core.Sharding;

/// <summary>
/// What a shard report records about its run, written as the JSON report's <c>shard</c> member: which shard, and
/// digests of the inputs every shard of one run must share. <c>policy-engine merge</c> refuses reports whose stamps
/// disagree, because their findings would not add up to one run.
/// </summary>
/// <param name="Shard">The shard the report covers.</param>
/// <param name="SnapshotSha256">SHA-256 (lower-case hex) of the snapshot file's bytes.</param>
/// <param name="PackSha256">SHA-256 of the rule pack: every file under the rule directories, by relative path and content.</param>
/// <param name="ConfigSha256">SHA-256 of the policy configuration file's bytes; null when none was given.</param>
public sealed record ShardStamp(Shard Shard, string SnapshotSha256, string PackSha256, string? ConfigSha256)
{
    /// <summary>Writes the <c>shard</c> member.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("shard");
        writer.WriteNumber("index", Shard.Index);
        writer.WriteNumber("count", Shard.Count);
        writer.WriteString("snapshotSha256", SnapshotSha256);
        writer.WriteString("packSha256", PackSha256);
        if (ConfigSha256 is not null)
        {
            writer.WriteString("configSha256", ConfigSha256);
        }

        writer.WriteEndObject();
    }
}
