using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.Aws.Samples;

/// <summary>
/// The organization of a sample, as evidence generation needs it: ACTIVE accounts, SRA roles, governed regions,
/// partition and the evidence already there (the sources of fan-outs). Read from a snapshot file or from a sample
/// fragment directory (<c>samples/fragments/ORG/</c>: <c>base.json</c> plus one JSON array of evidence records per
/// service; <c>*.resources.json</c> files hold Config items and are not evidence).
/// </summary>
public sealed class SampleOrganization
{
    private readonly Dictionary<string, string> _names;
    private readonly Dictionary<string, List<string>> _roles;
    private readonly IReadOnlyList<(string File, JsonObject Record)> _files;

    private SampleOrganization(JsonObject snapshot, IReadOnlyList<(string File, JsonObject Record)> evidence)
    {
        var accounts = snapshot["organization"]?["accounts"] as JsonArray ?? [];
        _names = accounts.OfType<JsonObject>().Where(a => a["State"]?.ToString() is null or "ACTIVE" && a["Id"] is not null)
            .ToDictionary(a => a["Id"]!.ToString(), a => a["Name"]?.ToString() ?? string.Empty, StringComparer.Ordinal);
        Accounts = [.. _names.Keys.Order(StringComparer.Ordinal)];
        _roles = (snapshot["roles"] as JsonObject ?? []).ToDictionary(
            r => r.Key,
            r => (r.Value as JsonArray ?? []).Select(a => a?["accountId"]?.ToString()).OfType<string>().ToList(),
            StringComparer.Ordinal);
        Regions = [.. (snapshot["regions"]?["governed"] as JsonArray ?? []).Select(r => r?.ToString()).OfType<string>()];
        Partition = snapshot["metadata"]?["partition"]?.ToString() ?? "aws";
        var management = AccountsWithRole("management");
        ManagementAccount = (management.Count > 0 ? management[0] : null)
            ?? snapshot["organization"]?["organization"]?["MasterAccountId"]?.ToString()
            ?? throw new InvalidDataException("the sample names no management account (roles.management or organization.organization.MasterAccountId)");
        Evidence = [.. evidence.Select(e => e.Record)];
        _files = evidence;
        if (Accounts.Count == 0 || Regions.Count == 0)
        {
            throw new InvalidDataException("the sample has no ACTIVE accounts (organization.accounts) or no governed regions (regions.governed)");
        }
    }

    /// <summary>The ACTIVE account ids, sorted.</summary>
    public IReadOnlyList<string> Accounts { get; }

    /// <summary>The governed regions, in the sample's order.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>The partition (<c>metadata.partition</c>, default <c>aws</c>).</summary>
    public string Partition { get; }

    /// <summary>The management account, which runs organization-scope calls.</summary>
    public string ManagementAccount { get; }

    /// <summary>The sample's evidence records.</summary>
    public IReadOnlyList<JsonObject> Evidence { get; }

    /// <summary>The evidence records that come from another file than <paramref name="path"/> (full paths compared).</summary>
    public IEnumerable<JsonObject> EvidenceOutside(string path) =>
        _files.Where(e => !string.Equals(Path.GetFullPath(e.File), Path.GetFullPath(path), StringComparison.Ordinal)).Select(e => e.Record);

    /// <summary>The accounts holding an SRA role (<c>management</c>, <c>securityTooling</c>, <c>logArchive</c>).</summary>
    public IReadOnlyList<string> AccountsWithRole(string role) => _roles.TryGetValue(role, out var ids) ? ids : [];

    /// <summary>The account's name in the organization, or empty.</summary>
    public string AccountName(string account) => _names.GetValueOrDefault(account, string.Empty);

    /// <summary>Reads a snapshot file or a fragment directory.</summary>
    /// <exception cref="InvalidDataException">The files are not JSON of the expected shape (the message names the file).</exception>
    public static SampleOrganization Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path))
        {
            var snapshot = Parse<JsonObject>(path);
            return new SampleOrganization(snapshot, [.. (snapshot["evidence"] as JsonArray ?? []).OfType<JsonObject>().Select(r => (path, r))]);
        }

        var basePath = Path.Combine(path, "base.json");
        var evidence = new List<(string, JsonObject)>();
        foreach (var file in Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name != "base.json" && !name.EndsWith(".resources.json", StringComparison.Ordinal))
            {
                evidence.AddRange(Parse<JsonArray>(file).OfType<JsonObject>().Select(r => (file, r)));
            }
        }

        return new SampleOrganization(Parse<JsonObject>(basePath), evidence);
    }

    private static T Parse<T>(string file) where T : JsonNode
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as T
                ?? throw new InvalidDataException($"{file}: expected a JSON {(typeof(T) == typeof(JsonArray) ? "array of evidence records" : "object")}");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: not valid JSON: {ex.Message}", ex);
        }
    }
}
