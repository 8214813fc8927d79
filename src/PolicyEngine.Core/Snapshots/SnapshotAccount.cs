using System.Text.Json;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>An account of the organization, with the SRA roles the snapshot assigns to it.</summary>
public sealed class SnapshotAccount
{
    internal SnapshotAccount(string id, string name, string state, string ouPath, IReadOnlyList<string> roles,
        JsonElement element, NormalizedPath path, IReadOnlyDictionary<string, string>? tags = null)
    {
        Tags = tags;
        Id = id;
        Name = name;
        State = state;
        OuPath = ouPath;
        Roles = roles;
        Element = element;
        Path = path;
    }

    /// <summary>The 12-digit account id.</summary>
    public string Id { get; }

    /// <summary>The account name.</summary>
    public string Name { get; }

    /// <summary>The account state, e.g. ACTIVE or SUSPENDED.</summary>
    public string State { get; }

    /// <summary>The OU path, e.g. Root/Security.</summary>
    public string OuPath { get; }

    /// <summary>
    /// The account's tags (its <c>Tags</c>, from <c>organizations:ListTagsForResource</c>), by key; null when the
    /// snapshot does not hold them (not collected, or the call failed), empty when the account has none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Tags { get; }

    /// <summary>The SRA roles of the account (management, securityTooling, ...), sorted.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>The account object in the snapshot.</summary>
    public JsonElement Element { get; }

    /// <summary>The account object's path in the snapshot.</summary>
    public NormalizedPath Path { get; }

    /// <summary>True for accounts the assessment covers (state ACTIVE).</summary>
    public bool IsActive => string.Equals(State, "ACTIVE", StringComparison.Ordinal);
}

/// <summary>An AWS Config configuration item of the snapshot.</summary>
public sealed class SnapshotResource
{
    /// <summary>
    /// The item's ARN member (undefined when it has none), made a string only when asked for: only the items some rule
    /// targets need it, once each (the evaluator keeps their subjects).
    /// </summary>
    private readonly JsonElement _arnMember;

    internal SnapshotResource(string type, string id, string account, string region, JsonElement arnMember, JsonElement element, NormalizedPath path)
    {
        Type = type;
        Id = id;
        _arnMember = arnMember;
        Account = account;
        Region = region;
        Element = element;
        Path = path;
    }

    /// <summary>The resource type, e.g. AWS::S3::Bucket.</summary>
    public string Type { get; }

    /// <summary>The resource id.</summary>
    public string Id { get; }

    /// <summary>The ARN, when the item has one.</summary>
    public string? Arn => _arnMember.ValueKind == JsonValueKind.String ? _arnMember.GetString() : null;

    /// <summary>The owning account.</summary>
    public string Account { get; }

    /// <summary>The region, or "global".</summary>
    public string Region { get; }

    /// <summary>The configuration item.</summary>
    public JsonElement Element { get; }

    /// <summary>The item's path in the snapshot.</summary>
    public NormalizedPath Path { get; }
}
