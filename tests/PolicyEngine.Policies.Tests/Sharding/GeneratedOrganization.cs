using System.Globalization;
using System.Text.Json.Nodes;

namespace PolicyEngine.Policies.Tests.Sharding;

/// <summary>
/// A small seeded organization for the shard tests: the typical-gaps sample plus <c>accounts</c> workload accounts
/// cloned from its workload account 444444444444, each clone losing a seeded share of its evidence records (so some
/// subjects are InsufficientData) and keeping its Config items. Same seed, same bytes.
/// </summary>
internal static class GeneratedOrganization
{
    private const string Template = "444444444444";

    public static string Json(int accounts, int seed)
    {
        var random = new Random(seed);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "typical-gaps.json")))!.AsObject();
        var accountList = root["organization"]!["accounts"]!.AsArray();
        var evidence = root["evidence"]!.AsArray();
        var resources = root["resources"]!.AsArray();
        var templateAccount = accountList.Single(a => (string?)a!["Id"] == Template)!.ToJsonString();
        var templateEvidence = evidence.Where(e => (string?)e!["account"] == Template).Select(e => e!.ToJsonString()).ToArray();
        var templateResources = resources.Where(r => (string?)r!["awsAccountId"] == Template).Select(r => r!.ToJsonString()).ToArray();
        for (var i = 0; i < accounts; i++)
        {
            var id = (900_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            accountList.Add(JsonNode.Parse(templateAccount.Replace(Template, id, StringComparison.Ordinal)));
            foreach (var record in templateEvidence)
            {
                if (random.NextDouble() >= 0.15)
                {
                    evidence.Add(JsonNode.Parse(record.Replace(Template, id, StringComparison.Ordinal)));
                }
            }

            foreach (var resource in templateResources)
            {
                resources.Add(JsonNode.Parse(resource.Replace(Template, id, StringComparison.Ordinal)));
            }
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
