using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.Aws.Collection;

/// <summary>The normalised organization view derived from the organizations evidence.</summary>
internal sealed class OrganizationView
{
    /// <summary>The error code of DescribeOrganization for an account that belongs to no organization.</summary>
    public const string NotInUseCode = "AWSOrganizationsNotInUseException";

    /// <summary>DescribeOrganization succeeded.</summary>
    public bool Collected { get; private init; }

    /// <summary>
    /// The caller's account belongs to no organization (DescribeOrganization answered AWSOrganizationsNotInUseException):
    /// it is the one account, and the view lists it alone.
    /// </summary>
    public string? StandaloneAccount { get; private init; }

    /// <summary>The section is written: the organization was described, or the caller is a standalone account.</summary>
    public bool Written => Collected || StandaloneAccount is not null;
    public JsonObject? OrganizationObject { get; private init; }
    public List<JsonObject> Roots { get; } = [];
    public List<JsonObject> OrganizationalUnits { get; } = [];
    public List<JsonObject> Accounts { get; } = [];
    public List<JsonObject> Policies { get; } = [];
    public SortedDictionary<string, List<JsonObject>> DelegatedAdministrators { get; } = new(StringComparer.Ordinal);
    public List<JsonObject> EnabledServicePrincipals { get; } = [];
    public bool AccountsListed { get; private set; }

    public string? ManagementAccountId => OrganizationObject?["MasterAccountId"]?.GetValue<string>();

    /// <param name="records">The organization phase's records.</param>
    /// <param name="callerAccount">The caller's account (sts:GetCallerIdentity), empty when unknown.</param>
    public static OrganizationView Build(IEnumerable<EvidenceRecord> records, string callerAccount)
    {
        var all = records.Where(r => r.Service == "organizations").ToList();
        var ok = all.Where(r => r.Status == "ok" && r.Response is JsonObject).ToList();
        var describe = ok.FirstOrDefault(r => r.Operation == "DescribeOrganization");
        if (describe is null && callerAccount.Length > 0 &&
            all.Any(r => r.Operation == "DescribeOrganization" && r.Status == "error" && r.ErrorCode == NotInUseCode))
        {
            // A standalone account: AWS's definitive answer that there is no organization. The caller's account is the
            // only account (its Id and State are all that is known of it), so account rules have a subject.
            var standalone = new OrganizationView { StandaloneAccount = callerAccount, AccountsListed = true };
            standalone.Accounts.Add(new JsonObject { ["Id"] = callerAccount, ["State"] = "ACTIVE" });
            return standalone;
        }

        var view = new OrganizationView { Collected = describe is not null, OrganizationObject = describe?.Response?["Organization"]?.DeepClone() as JsonObject };
        if (!view.Collected)
        {
            return view;
        }

        IEnumerable<JsonObject> Items(EvidenceRecord r, string key) => (r.Response![key] as JsonArray)?.OfType<JsonObject>() ?? [];
        string? Param(EvidenceRecord r, string name) => r.Parameters[name]?.GetValue<string>();

        var names = new Dictionary<string, (string Name, string? Parent)>(StringComparer.Ordinal);
        foreach (var r in ok.Where(r => r.Operation == "ListRoots"))
        {
            foreach (var root in Items(r, "Roots"))
            {
                view.Roots.Add((JsonObject)root.DeepClone());
                names[root["Id"]!.GetValue<string>()] = (root["Name"]?.GetValue<string>() ?? "Root", null);
            }
        }

        var ous = new List<(JsonObject Ou, string Parent)>();
        foreach (var r in ok.Where(r => r.Operation == "ListOrganizationalUnitsForParent"))
        {
            var parent = Param(r, "ParentId") ?? string.Empty;
            foreach (var ou in Items(r, "OrganizationalUnits"))
            {
                ous.Add((ou, parent));
                names[ou["Id"]!.GetValue<string>()] = (ou["Name"]?.GetValue<string>() ?? string.Empty, parent);
            }
        }

        string PathOf(string id)
        {
            var parts = new List<string>();
            var guard = 0;
            for (var cur = id; cur is not null && names.TryGetValue(cur, out var n) && guard++ < 64; cur = n.Parent)
            {
                parts.Add(n.Name);
            }

            parts.Reverse();
            return string.Join('/', parts);
        }

        foreach (var (ou, parent) in ous.OrderBy(o => o.Ou["Id"]!.GetValue<string>(), StringComparer.Ordinal))
        {
            var id = ou["Id"]!.GetValue<string>();
            view.OrganizationalUnits.Add(Sorted(new JsonObject
            {
                ["Id"] = id,
                ["Arn"] = ou["Arn"]?.DeepClone(),
                ["Name"] = ou["Name"]?.DeepClone(),
                ["ParentId"] = parent,
                ["Path"] = PathOf(id),
            }));
        }

        var parentOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in ok.Where(r => r.Operation == "ListAccountsForParent"))
        {
            foreach (var a in Items(r, "Accounts"))
            {
                parentOf[a["Id"]!.GetValue<string>()] = Param(r, "ParentId") ?? string.Empty;
            }
        }

        // Account tags as ListTagsForResource returns them ([{Key, Value}]), sorted by key. An account whose call failed or
        // was not made gets no Tags member: "no tags" ([]) and "tags unknown" stay apart for suppressions.
        var tagsOf = ok.Where(r => r.Operation == "ListTagsForResource" && Param(r, "ResourceId") is not null)
            .ToDictionary(r => Param(r, "ResourceId")!, r => Items(r, "Tags").OrderBy(t => t["Key"]?.GetValue<string>(), StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var r in ok.Where(r => r.Operation == "ListAccounts"))
        {
            view.AccountsListed = true;
            foreach (var a in Items(r, "Accounts").OrderBy(a => a["Id"]!.GetValue<string>(), StringComparer.Ordinal))
            {
                var copy = (JsonObject)a.DeepClone();
                var id = a["Id"]!.GetValue<string>();
                if (parentOf.TryGetValue(id, out var p))
                {
                    copy["ParentId"] = p;
                    copy["OuPath"] = PathOf(p);
                }

                if (tagsOf.TryGetValue(id, out var tags))
                {
                    copy["Tags"] = new JsonArray([.. tags.Select(t => Sorted((JsonObject)t.DeepClone()))]);
                }

                view.Accounts.Add(Sorted(copy));
            }
        }

        var targets = ok.Where(r => r.Operation == "ListTargetsForPolicy").GroupBy(r => Param(r, "PolicyId") ?? string.Empty)
            .ToDictionary(g => g.Key, g => g.SelectMany(r => Items(r, "Targets")).ToList(), StringComparer.Ordinal);
        foreach (var r in ok.Where(r => r.Operation == "DescribePolicy").OrderBy(r => Param(r, "PolicyId"), StringComparer.Ordinal))
        {
            var policy = r.Response!["Policy"];
            var id = Param(r, "PolicyId") ?? string.Empty;
            view.Policies.Add(new JsonObject
            {
                ["Content"] = policy?["Content"]?.DeepClone(),
                ["PolicySummary"] = policy?["PolicySummary"]?.DeepClone(),
                ["Targets"] = new JsonArray([.. (targets.TryGetValue(id, out var t) ? t : []).Select(x => x.DeepClone())]),
            });
        }

        foreach (var r in ok.Where(r => r.Operation == "ListDelegatedAdministrators"))
        {
            var principal = Param(r, "ServicePrincipal");
            if (principal is null)
            {
                continue;
            }

            view.DelegatedAdministrators[principal] = [.. Items(r, "DelegatedAdministrators").Select(d => (JsonObject)d.DeepClone()).OrderBy(d => d["Id"]?.GetValue<string>(), StringComparer.Ordinal)];
        }

        foreach (var r in ok.Where(r => r.Operation == "ListAWSServiceAccessForOrganization"))
        {
            view.EnabledServicePrincipals.AddRange(Items(r, "EnabledServicePrincipals").Select(e => (JsonObject)e.DeepClone())
                .OrderBy(e => e["ServicePrincipal"]?.GetValue<string>(), StringComparer.Ordinal));
        }

        return view;
    }

    /// <summary>ACTIVE accounts (State, else the retiring Status), or the caller alone if accounts could not be listed.</summary>
    public List<string> ActiveAccountIds(string caller)
    {
        if (!AccountsListed)
        {
            return caller.Length > 0 ? [caller] : [];
        }

        return [.. Accounts.Where(a => (a["State"]?.GetValue<string>() ?? a["Status"]?.GetValue<string>()) == "ACTIVE")
            .Select(a => a["Id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("accounts");
        WriteArray(w, Accounts);
        w.WritePropertyName("delegatedAdministrators");
        w.WriteStartObject();
        foreach (var (k, v) in DelegatedAdministrators)
        {
            w.WritePropertyName(k);
            WriteArray(w, v);
        }

        w.WriteEndObject();
        w.WritePropertyName("enabledServicePrincipals");
        WriteArray(w, EnabledServicePrincipals);
        if (OrganizationObject is not null)
        {
            // Absent for a standalone account: there is no Organization object to show.
            w.WritePropertyName("organization");
            OrganizationObject.WriteTo(w);
        }

        w.WritePropertyName("organizationalUnits");
        WriteArray(w, OrganizationalUnits);
        w.WritePropertyName("policies");
        WriteArray(w, Policies);
        w.WritePropertyName("roots");
        WriteArray(w, Roots);
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, IEnumerable<JsonObject> items)
    {
        w.WriteStartArray();
        foreach (var i in items)
        {
            i.WriteTo(w);
        }

        w.WriteEndArray();
    }

    internal static JsonObject Sorted(JsonObject o)
    {
        var r = new JsonObject();
        foreach (var (k, v) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList())
        {
            r[k] = v?.DeepClone();
        }

        return r;
    }
}

/// <summary>One SRA role assignment.</summary>
internal sealed record RoleAssignment(string AccountId, string Source, string Reason);

/// <summary>SRA account roles of a run.</summary>
internal sealed class RoleAssignments
{
    public static readonly string[] Names = ["management", "securityTooling", "logArchive", "network", "sharedServices"];

    public SortedDictionary<string, List<RoleAssignment>> ByRole { get; } = new(StringComparer.Ordinal);

    public HashSet<string> RolesOf(string account) =>
        [.. ByRole.Where(kv => kv.Value.Any(a => a.AccountId == account)).Select(kv => kv.Key)];

    public void Add(string role, string account, string source, string reason)
    {
        if (!ByRole.TryGetValue(role, out var list))
        {
            list = [];
            ByRole[role] = list;
        }

        if (list.All(a => a.AccountId != account))
        {
            list.Add(new RoleAssignment(account, source, reason));
            list.Sort((a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        }
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        foreach (var role in Names.Order(StringComparer.Ordinal))
        {
            w.WritePropertyName(role);
            w.WriteStartArray();
            foreach (var a in ByRole.TryGetValue(role, out var l) ? l : [])
            {
                w.WriteStartObject();
                w.WriteString("accountId", a.AccountId);
                w.WriteString("reason", a.Reason);
                w.WriteString("source", a.Source);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}

/// <summary>Infers SRA roles: management from the organization, the others from flags, Control Tower names and delegated admins.</summary>
internal static class RoleInference
{
    public static RoleAssignments Infer(OrganizationView org, CollectOptions options)
    {
        var roles = new RoleAssignments();
        if (options.ManagementAccount is { } configured)
        {
            roles.Add("management", configured, "configured", "--management-account");
        }
        else if (org.ManagementAccountId is { } mgmt)
        {
            roles.Add("management", mgmt, "inferred", "DescribeOrganization MasterAccountId");
        }
        else if (org.StandaloneAccount is { } standalone)
        {
            roles.Add("management", standalone, "standalone",
                $"DescribeOrganization answered {OrganizationView.NotInUseCode}: the caller account (sts:GetCallerIdentity) belongs to no organization");
        }

        void Configured(string role, IReadOnlyList<string> ids, string flag)
        {
            foreach (var id in ids)
            {
                roles.Add(role, id, "configured", flag);
            }
        }

        Configured("securityTooling", options.SecurityToolingAccounts, "--security-tooling-account");
        Configured("logArchive", options.LogArchiveAccounts, "--log-archive-account");
        Configured("network", options.NetworkAccounts, "--network-account");
        Configured("sharedServices", options.SharedServicesAccounts, "--shared-services-account");

        void Infer(string role, string controlTowerName, string[] principals)
        {
            if (roles.ByRole.ContainsKey(role))
            {
                return;
            }

            foreach (var a in org.Accounts.Where(a => a["Name"]?.GetValue<string>() == controlTowerName))
            {
                roles.Add(role, a["Id"]!.GetValue<string>(), "inferred", $"Control Tower account name '{controlTowerName}'");
            }

            foreach (var p in principals)
            {
                if (org.DelegatedAdministrators.TryGetValue(p, out var das))
                {
                    foreach (var da in das)
                    {
                        roles.Add(role, da["Id"]!.GetValue<string>(), "inferred", $"delegated administrator for {p}");
                    }
                }
            }
        }

        Infer("securityTooling", "Audit", ["guardduty.amazonaws.com", "securityhub.amazonaws.com"]);
        Infer("logArchive", "Log Archive", ["securitylake.amazonaws.com"]);
        return roles;
    }
}
