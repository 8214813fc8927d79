using System.Globalization;
using System.Text;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Authoring;

/// <summary>What <c>policy-engine new rule</c> is asked for.</summary>
public sealed record RuleScaffoldRequest
{
    /// <summary>The new rule's id, e.g. ACME-GUARDDUTY-01.</summary>
    public required string Id { get; init; }

    /// <summary>The rule's target.</summary>
    public required TargetKind Target { get; init; }

    /// <summary>The operation the rule reads (required for every target but <c>resource</c>).</summary>
    public OperationName? Operation { get; init; }

    /// <summary>
    /// Where the plan collects <see cref="Operation"/> (its collection sites, in plan order). The scaffold reads the
    /// evidence at one of them, so the rule validates without PE1040.
    /// </summary>
    public IReadOnlyList<CollectionSite> Sites { get; init; } = [];

    /// <summary>For <c>target: resource</c>, the AWS Config resource type.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The modeline path of rule.schema.json, relative to the rule file.</summary>
    public required string RuleSchemaPath { get; init; }

    /// <summary>The modeline path of rule-tests.schema.json, or null when the tool ships none.</summary>
    public string? TestsSchemaPath { get; init; }
}

/// <summary>
/// Writes the text of a new rule and of its test file, with a pass, a fail and an insufficientData case that hold
/// against the shipped <c>base</c> fixture. The rule reads its operation where the collection plan collects it (one of
/// the operation's collection sites): in a role's accounts through <c>scope.roles</c> (or, for an organization rule,
/// the input's <c>account</c>), per region or once per account as the site is. Each case narrows the fixture's
/// organization to the management account and the account that holds the site's role, in the fixture's one governed
/// region (us-east-1), so that each expects exactly one finding; the assertion is a placeholder (<c>$.Enabled</c>
/// equals true) that the author replaces, together with the cases' responses.
/// </summary>
public static class RuleScaffold
{
    /// <summary>The base fixture's management account, which the cases always keep.</summary>
    public const string Account = "111111111111";

    /// <summary>The base fixture's governed region.</summary>
    public const string Region = "us-east-1";

    /// <summary>The accounts the base fixture's <c>roles</c> section gives each role.</summary>
    private static readonly Dictionary<string, string> FixtureRoleAccounts = new(StringComparer.Ordinal)
    {
        [SraRoles.Management] = Account,
        [SraRoles.SecurityTooling] = "222222222222",
        [SraRoles.LogArchive] = "333333333333",
    };

    /// <summary>Accounts the cases add (and give the role through a <c>roles</c> patch) for roles the base fixture leaves empty.</summary>
    private static readonly Dictionary<string, string> AddedRoleAccounts = new(StringComparer.Ordinal)
    {
        [SraRoles.Network] = "555555555555",
        [SraRoles.SharedServices] = "666666666666",
    };

    /// <summary>The rule file's text.</summary>
    public static string RuleText(RuleScaffoldRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var read = Plan(request);
        var text = new StringBuilder();
        Line(text, $"# yaml-language-server: $schema={request.RuleSchemaPath}");
        Line(text, $"id: {request.Id}");
        Line(text, "title: \"TODO: one line saying what must hold\"");
        Line(text, request.Target switch
        {
            TargetKind.Organization => "message: \"TODO: what is wrong in the organization (management account {account}).\"",
            TargetKind.Resource => "message: \"TODO: what is wrong with {resource} in {account}/{region}.\"",
            _ when read.FindingRegion != "global" => "message: \"TODO: what is wrong in {account}/{region}.\"",
            _ => "message: \"TODO: what is wrong in {account}.\"",
        });
        Line(text, $"category: {Category(request)}");
        Line(text, "severity: medium");
        Line(text, "description: >-");
        Line(text, "  TODO: why this matters, and what the rule checks.");
        Line(text, "remediation: >-");
        Line(text, "  TODO: how to fix a failing account.");
        Line(text, $"target: {request.Target.ToName()}");
        switch (request.Target)
        {
            case TargetKind.Resource:
                Line(text, $"resourceType: {request.ResourceType}");
                Line(text, "assert:");
                Line(text, "  # TODO: replace with what must hold in the configuration item (AWS Config's delivery dialect).");
                Line(text, "  - path: $.configuration.Enabled");
                Line(text, "    equals: true");
                return text.ToString();
            case TargetKind.Evidence:
                Line(text, $"operation: {request.Operation}");
                Scope(text, read, globalRegion: read.RecordRegion == "global");
                Line(text, "assert:");
                Line(text, $"  # TODO: replace with the member of the {request.Operation?.Operation} response that must hold.");
                Line(text, "  - path: $.Enabled");
                Line(text, "    equals: true");
                return text.ToString();
            default:
                Scope(text, read, globalRegion: false);
                Line(text, "inputs:");
                if (read.InputAccount is null && read.InputRegion is null)
                {
                    Line(text, $"  response: {request.Operation}");
                }
                else
                {
                    Line(text, "  response:");
                    Line(text, $"    operation: {request.Operation}");
                    if (read.InputAccount is { } account)
                    {
                        Line(text, $"    account: {account}   # the plan collects it in the {account} account only");
                    }

                    if (read.InputRegion is { } region)
                    {
                        Line(text, $"    region: {region}   # TODO: the region whose record the rule reads");
                    }
                }

                Line(text, "assert:");
                Line(text, $"  # TODO: replace with the member of the {request.Operation?.Operation} response that must hold.");
                Line(text, "  - path: $.Enabled");
                Line(text, "    equals: true");
                return text.ToString();
        }
    }

    /// <summary>The test file's text: pass, fail and insufficientData cases.</summary>
    public static string TestsText(RuleScaffoldRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var read = Plan(request);
        var text = new StringBuilder();
        if (request.TestsSchemaPath is { } schema)
        {
            Line(text, $"# yaml-language-server: $schema={schema}");
        }

        Line(text, $"rule: {request.Id}");
        var other = read.SubjectAccount != Account ? read.SubjectAccount : read.RecordAccount;
        if (other == Account)
        {
            Line(text, $"# Each case keeps only the base fixture's management account ({Account}), in its governed region");
            Line(text, $"# {Region}, so it expects exactly one finding. Replace the responses with real ones.");
        }
        else
        {
            Line(text, $"# Each case keeps only the base fixture's management account ({Account}) and its {read.Role} account");
            Line(text, $"# ({other}), in its governed region {Region}, so it expects exactly one finding. Replace the responses");
            Line(text, "# with real ones.");
        }

        Line(text, "cases:");
        if (request.Target == TargetKind.Resource)
        {
            ResourceCase(text, request, read, "a compliant configuration item passes", "true", "pass");
            ResourceCase(text, request, read, "a non-compliant configuration item fails", "false", "fail");
            Line(text, "  - name: resources that were not collected are insufficient data");
            Patch(text, read);
            Line(text, "      resources: null");
            Line(text, "    expect:");
            Line(text, $"      - {{ outcome: insufficientData, account: \"{Account}\", region: global, resource: organization }}");
            return text.ToString();
        }

        var service = request.Operation?.Service;
        var operation = request.Operation?.Operation;
        foreach (var (name, status, body, outcome) in new[]
        {
            ("a compliant response passes", "ok", "response: { Enabled: true }", "pass"),
            ("a non-compliant response fails", "ok", "response: { Enabled: false }", "fail"),
            ("an access-denied call is insufficient data", "error", "error: { code: AccessDeniedException, message: \"User is not authorized to perform this operation\" }", "insufficientData"),
        })
        {
            Line(text, $"  - name: {name}");
            Patch(text, read);
            Line(text, "    evidence:");
            Line(text, $"      - {{ service: {service}, operation: {operation}, account: \"{read.RecordAccount}\", region: {read.RecordRegion}, status: {status},");
            Line(text, $"          {body} }}");
            Line(text, "    expect:");
            Line(text, $"      - {{ outcome: {outcome}, account: \"{read.SubjectAccount}\", region: {read.FindingRegion} }}");
        }

        return text.ToString();
    }

    /// <summary>
    /// Where the scaffold reads its evidence: the collection site it picked, and what that means for the rule (scope,
    /// the input's account and region) and for the cases (accounts and regions of the record and of the finding).
    /// </summary>
    private sealed record Reading(
        string? Role,
        string? ScopeRole,
        string? InputAccount,
        string? InputRegion,
        string SubjectAccount,
        string RecordAccount,
        string RecordRegion,
        string FindingRegion);

    private static Reading Plan(RuleScaffoldRequest request)
    {
        if (request.Target == TargetKind.Resource)
        {
            return new Reading(null, null, null, null, Account, Account, Region, Region);
        }

        var site = PickSite(request.Target, request.Sites);
        var role = site.Role;
        var regional = site.Regional;
        return request.Target switch
        {
            // An organization rule has one subject, the management account; evidence collected in another role's
            // accounts is read there with the input's 'account'.
            TargetKind.Organization => new Reading(
                role,
                null,
                role is null or SraRoles.Management ? null : role,
                regional ? Region : null,
                Account,
                RoleAccount(role),
                regional ? Region : "global",
                "global"),

            // Account-based rules run in the role's accounts only (scope.roles), so every subject has its evidence.
            TargetKind.Account => new Reading(role, role, null, regional ? Region : null, RoleAccount(role), RoleAccount(role),
                regional ? Region : "global", "global"),
            TargetKind.AccountRegion => new Reading(role, role, null, null, RoleAccount(role), RoleAccount(role),
                regional ? Region : "global", Region),
            _ => new Reading(role, role, null, null, RoleAccount(role), RoleAccount(role),
                regional ? Region : "global", regional ? Region : "global"),
        };
    }

    /// <summary>
    /// The collection site to read at: one whose regionality suits the target (per region for account-region, once
    /// per account for organization and account; an evidence rule takes either), preferring every account, then the
    /// management account, then the plan's order. An operation the plan does not know is read per region everywhere.
    /// </summary>
    private static CollectionSite PickSite(TargetKind target, IReadOnlyList<CollectionSite> sites)
    {
        if (sites.Count == 0)
        {
            return new CollectionSite(null, Regional: target != TargetKind.Organization && target != TargetKind.Account);
        }

        bool? wantRegional = target switch
        {
            TargetKind.AccountRegion => true,
            TargetKind.Organization or TargetKind.Account => false,
            _ => null,
        };
        return sites
            .Select((site, index) => (site, index))
            .OrderBy(s => wantRegional is { } want && s.site.Regional != want ? 1 : 0)
            .ThenBy(s => s.site.Role is null ? 0 : s.site.Role == SraRoles.Management ? 1 : 2)
            .ThenBy(s => s.index)
            .First().site;
    }

    private static string RoleAccount(string? role) =>
        role is null ? Account
        : FixtureRoleAccounts.TryGetValue(role, out var account) ? account
        : AddedRoleAccounts.GetValueOrDefault(role, Account);

    private static void Scope(StringBuilder text, Reading read, bool globalRegion)
    {
        if (read.ScopeRole is null && !globalRegion)
        {
            return;
        }

        Line(text, "scope:");
        if (read.ScopeRole is { } role)
        {
            Line(text, $"  roles: [{role}]   # the plan collects the evidence in the {role} account only");
        }

        if (globalRegion)
        {
            Line(text, "  regions: [global]");
        }
    }

    private static void ResourceCase(StringBuilder text, RuleScaffoldRequest request, Reading read, string name, string value, string outcome)
    {
        var arn = $"arn:aws:TODO:{Region}:{Account}:example";
        Line(text, $"  - name: {name}");
        Patch(text, read);
        Line(text, "      resources:");
        Line(text, $"        - {{ resourceType: \"{request.ResourceType}\", resourceId: example, ARN: \"{arn}\",");
        Line(text, $"            awsAccountId: \"{Account}\", awsRegion: {Region}, configuration: {{ Enabled: {value} }} }}");
        Line(text, "    expect:");
        Line(text, $"      - {{ outcome: {outcome}, account: \"{Account}\", region: {Region}, resource: \"{arn}\" }}");
    }

    /// <summary>The case's patch: the organization narrowed to the accounts it needs, and the role given to an added account.</summary>
    private static void Patch(StringBuilder text, Reading read)
    {
        Line(text, "    patch:");
        Line(text, "      organization:");
        Line(text, $"        organization: {{ Id: o-exampleorgid, MasterAccountId: \"{Account}\", FeatureSet: ALL }}");
        var other = read.SubjectAccount != Account ? read.SubjectAccount : read.RecordAccount;
        if (other == Account)
        {
            Line(text, $"        accounts: [ {{ Id: \"{Account}\", Name: Management, State: ACTIVE }} ]");
            return;
        }

        Line(text, "        accounts:");
        Line(text, $"          - {{ Id: \"{Account}\", Name: Management, State: ACTIVE }}");
        Line(text, $"          - {{ Id: \"{other}\", Name: {read.Role}, State: ACTIVE }}");
        if (read.Role is { } role && AddedRoleAccounts.ContainsKey(role))
        {
            Line(text, "      roles:");
            Line(text, $"        management: [ {{ accountId: \"{Account}\", source: inferred, reason: DescribeOrganization MasterAccountId }} ]");
            Line(text, $"        {role}: [ {{ accountId: \"{other}\", source: configured, reason: the {role} account of this test }} ]");
        }
    }

    /// <summary>The middle of the id (ACME-GUARDDUTY-01 → GUARDDUTY), else the operation's service.</summary>
    private static string Category(RuleScaffoldRequest request)
    {
        var parts = request.Id.Split('-');
        return parts.Length >= 3 ? string.Join('-', parts[1..^1]) : request.Operation?.Service.ToUpper(CultureInfo.InvariantCulture) ?? "Custom";
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
