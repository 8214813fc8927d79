using Jint.Runtime;

namespace PolicyEngine.Scripting.Internal;

/// <summary>The clock a predicate sees: the snapshot's collection time, set for each call, never the wall clock.</summary>
internal sealed class SnapshotClock : DefaultTimeSystem
{
    public SnapshotClock()
        : base(TimeZoneInfo.Utc, System.Globalization.CultureInfo.InvariantCulture)
    {
    }

    public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => Now;
}
