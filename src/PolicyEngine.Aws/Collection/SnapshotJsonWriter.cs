using System.Reflection;
using System.Text.Json;
using PolicyEngine.Core.Files;

namespace PolicyEngine.Aws.Collection;

/// <summary>Writes snapshot format v1.</summary>
internal sealed class SnapshotJsonWriter(
    List<EvidenceRecord> records, OrganizationView? org, RoleAssignments roles, IReadOnlyList<string> governed,
    SortedDictionary<string, List<string>> enabledByAccount, CoverageSummary coverage, string partition, string callerAccount, DateTime collectedAt)
{
    /// <summary>The Config inventory's items and coverage; null: no inventory (resources written as not collected).</summary>
    public InventoryResult? Inventory { get; init; }

    public static string Version =>
        typeof(SnapshotJsonWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("formatVersion", "1.0");
        WriteMetadata(w, partition, callerAccount, "live", collectedAt);
        if (org is { Written: true })
        {
            w.WritePropertyName("organization");
            org.Write(w);
        }

        w.WritePropertyName("roles");
        roles.Write(w);
        w.WritePropertyName("regions");
        w.WriteStartObject();
        w.WritePropertyName("governed");
        w.WriteStartArray();
        foreach (var r in governed.Distinct().Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(r);
        }

        w.WriteEndArray();
        w.WritePropertyName("enabledByAccount");
        w.WriteStartObject();
        foreach (var (a, list) in enabledByAccount)
        {
            w.WritePropertyName(a);
            w.WriteStartArray();
            foreach (var r in list)
            {
                w.WriteStringValue(r);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WritePropertyName("evidence");
        w.WriteStartArray();
        foreach (var r in records)
        {
            WriteRecord(w, r);
            w.FlushWhenFull();
        }

        w.WriteEndArray();
        w.WritePropertyName("resources");
        w.WriteStartArray();
        foreach (var ci in Inventory?.Items.Sorted() ?? [])
        {
            ci.WriteTo(w);
            w.FlushWhenFull();
        }

        w.WriteEndArray();
        w.WritePropertyName("coverage");
        WriteCoverage(w, coverage, resourcesCollected: false, Inventory?.Coverage);
        w.WriteEndObject();
    }

    /// <summary>Writes the metadata section; <paramref name="more"/> adds members after the standard ones.</summary>
    public static void WriteMetadata(Utf8JsonWriter w, string partition, string callerAccount, string source, DateTime? collectedAt, Action<Utf8JsonWriter>? more = null)
    {
        w.WritePropertyName("metadata");
        w.WriteStartObject();
        w.WriteString("callerAccountId", callerAccount);
        if (collectedAt is { } time)
        {
            w.WriteString("collectedAt", OrganizationCollector.FormatTimestamp(time));
        }

        w.WritePropertyName("collector");
        w.WriteStartObject();
        w.WriteString("name", "policy-engine");
        w.WriteString("version", Version);
        w.WriteEndObject();
        more?.Invoke(w);
        w.WriteString("partition", partition);
        w.WriteString("source", source);
        w.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter w, EvidenceRecord r)
    {
        w.WriteStartObject();
        w.WriteString("service", r.Service);
        w.WriteString("operation", r.Operation);
        w.WriteString("account", r.Account);
        w.WriteString("region", r.Region);
        w.WritePropertyName("parameters");
        OrganizationView.Sorted(r.Parameters).WriteTo(w);
        w.WriteString("status", r.Status);
        switch (r.Status)
        {
            case "ok":
                w.WritePropertyName("response");
                if (r.Response is null)
                {
                    w.WriteStartObject();
                    w.WriteEndObject();
                }
                else
                {
                    r.Response.WriteTo(w);
                }

                break;
            case "error":
                w.WritePropertyName("error");
                w.WriteStartObject();
                w.WriteString("code", r.ErrorCode);
                w.WriteString("message", r.ErrorMessage ?? string.Empty);
                w.WriteNumber("httpStatus", r.HttpStatus);
                w.WriteEndObject();
                break;
            default:
                w.WriteString("reason", r.Reason ?? string.Empty);
                break;
        }

        w.WriteEndObject();
    }

    /// <param name="w">The writer.</param>
    /// <param name="c">The evidence coverage.</param>
    /// <param name="resourcesCollected">Without <paramref name="inventory"/>: whether the resources section holds collected items.</param>
    /// <param name="inventory">The live inventory's coverage, written as <c>resources</c>; it decides <c>sections.resources</c>.</param>
    public static void WriteCoverage(Utf8JsonWriter w, CoverageSummary c, bool resourcesCollected, InventoryCoverage? inventory = null)
    {
        static void Counts(Utf8JsonWriter w, StatusCounts s)
        {
            w.WriteStartObject();
            w.WriteNumber("error", s.Error);
            w.WriteNumber("notCollected", s.NotCollected);
            w.WriteNumber("ok", s.Ok);
            w.WriteNumber("total", s.Total);
            w.WriteEndObject();
        }

        w.WriteStartObject();
        w.WritePropertyName("accounts");
        w.WriteStartObject();
        w.WriteNumber("active", c.AccountsActive);
        w.WritePropertyName("roleNotAssumed");
        w.WriteStartArray();
        foreach (var a in c.AccountsFailed)
        {
            w.WriteStringValue(a);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WritePropertyName("byAccount");
        w.WriteStartObject();
        foreach (var (k, v) in c.ByAccount)
        {
            w.WritePropertyName(k);
            Counts(w, v);
        }

        w.WriteEndObject();
        w.WritePropertyName("byService");
        w.WriteStartObject();
        foreach (var (k, v) in c.ByService)
        {
            w.WritePropertyName(k);
            Counts(w, v);
        }

        w.WriteEndObject();
        w.WritePropertyName("byStatus");
        Counts(w, c.ByStatus);
        if (inventory is not null)
        {
            w.WritePropertyName("resources");
            inventory.Write(w);
        }

        w.WritePropertyName("sections");
        w.WriteStartObject();
        w.WriteString("evidence", c.ByStatus.Total > 0 ? "collected" : "notCollected");
        w.WriteString("organization", c.OrganizationCollected ? "collected" : c.OrganizationStandalone ? "standalone" : "notCollected");
        w.WriteString("resources", inventory?.Section ?? (resourcesCollected ? "collected" : "notCollected"));
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
