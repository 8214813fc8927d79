namespace PolicyEngine.Core.Snapshots;

/// <summary>The SRA account roles a snapshot can assign, as rules and snapshots spell them.</summary>
public static class SraRoles
{
    /// <summary>The organization's management account.</summary>
    public const string Management = "management";

    /// <summary>The Security Tooling account (Control Tower's "Audit").</summary>
    public const string SecurityTooling = "securityTooling";

    /// <summary>The Log Archive account.</summary>
    public const string LogArchive = "logArchive";

    /// <summary>The Network account.</summary>
    public const string Network = "network";

    /// <summary>The Shared Services account.</summary>
    public const string SharedServices = "sharedServices";

    /// <summary>Every role, in the order reports list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Management, SecurityTooling, LogArchive, Network, SharedServices];

    /// <summary>True when <paramref name="name"/> is a role.</summary>
    public static bool IsRole(string name) => All.Contains(name, StringComparer.Ordinal);
}
