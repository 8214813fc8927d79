using System.Globalization;
using System.Text.Json;
using PolicyEngine.Core.Evaluation;

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
    /// <summary>
    /// Writes the <c>shard</c> member: the stamp, then what the report model holds beyond the JSON report's own
    /// members (the snapshot's collection time, each account's OU path), so that merge rebuilds the model losslessly
    /// and every format renders from the merged report as from the unsharded one.
    /// </summary>
    public void Write(Utf8JsonWriter writer, EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject("shard");
        writer.WriteNumber("index", Shard.Index);
        writer.WriteNumber("count", Shard.Count);
        writer.WriteString("snapshotSha256", SnapshotSha256);
        writer.WriteString("packSha256", PackSha256);
        if (ConfigSha256 is not null)
        {
            writer.WriteString("configSha256", ConfigSha256);
        }

        if (result.CollectedAt is { } collectedAt)
        {
            writer.WriteString("collectedAt", collectedAt.ToString("O", CultureInfo.InvariantCulture));
        }

        writer.WriteStartObject("ouPaths");
        var ouPaths = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var finding in result.Findings)
        {
            if (finding.Subject is { Account: { } account, OuPath: { } ouPath })
            {
                ouPaths.TryAdd(account, ouPath);
            }
        }

        foreach (var (account, ouPath) in ouPaths)
        {
            writer.WriteString(account, ouPath);
        }

        writer.WriteEndObject();

        writer.WriteEndObject();
    }
}
