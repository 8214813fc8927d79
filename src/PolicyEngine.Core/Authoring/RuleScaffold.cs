using System.Globalization;
using System.Text;
using PolicyEngine.Core.Rules.Model;

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

    /// <summary>The plan scope of <see cref="Operation"/>, which decides the region its records are read in.</summary>
    public CollectionScope OperationScope { get; init; } = CollectionScope.AccountRegion;

    /// <summary>For <c>target: resource</c>, the AWS Config resource type.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The modeline path of rule.schema.json, relative to the rule file.</summary>
    public required string RuleSchemaPath { get; init; }

    /// <summary>The modeline path of rule-tests.schema.json, or null when the tool ships none.</summary>
    public string? TestsSchemaPath { get; init; }
}

/// <summary>
/// Writes the text of a new rule and of its test file, with a pass, a fail and an insufficientData case that hold
/// against the shipped <c>base</c> fixture. Each case narrows the fixture's organization to its management account
/// (111111111111) in its one governed region (us-east-1), so that each expects exactly one finding; the assertion is a
/// placeholder (<c>$.Enabled</c> equals true) that the author replaces, together with the cases' responses.
/// </summary>
public static class RuleScaffold
{
    /// <summary>The account the cases keep: the base fixture's management account.</summary>
    public const string Account = "111111111111";

    /// <summary>The base fixture's governed region.</summary>
    public const string Region = "us-east-1";

    /// <summary>The rule file's text.</summary>
    public static string RuleText(RuleScaffoldRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder();
        var regional = request.Target is TargetKind.AccountRegion || (request.Target == TargetKind.Evidence && request.OperationScope == CollectionScope.AccountRegion);
        Line(text, $"# yaml-language-server: $schema={request.RuleSchemaPath}");
        Line(text, $"id: {request.Id}");
        Line(text, "title: \"TODO: one line saying what must hold\"");
        Line(text, request.Target switch
        {
            TargetKind.Organization => "message: \"TODO: what is wrong in the organization (management account {account}).\"",
            TargetKind.Resource => "message: \"TODO: what is wrong with {resource} in {account}/{region}.\"",
            _ when regional => "message: \"TODO: what is wrong in {account}/{region}.\"",
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
                if (!regional)
                {
                    Line(text, "scope:");
                    Line(text, "  regions: [global]");
                }

                Line(text, "assert:");
                Line(text, $"  # TODO: replace with the member of the {request.Operation?.Operation} response that must hold.");
                Line(text, "  - path: $.Enabled");
                Line(text, "    equals: true");
                return text.ToString();
            default:
                Line(text, "inputs:");
                if (ReadsFixedRegion(request))
                {
                    Line(text, "  response:");
                    Line(text, $"    operation: {request.Operation}");
                    Line(text, $"    region: {Region}   # TODO: the region whose record the rule reads");
                }
                else
                {
                    Line(text, $"  response: {request.Operation}");
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
        var text = new StringBuilder();
        if (request.TestsSchemaPath is { } schema)
        {
            Line(text, $"# yaml-language-server: $schema={schema}");
        }

        Line(text, $"rule: {request.Id}");
        Line(text, $"# Each case keeps only the base fixture's management account ({Account}), in its governed region");
        Line(text, $"# {Region}, so it expects exactly one finding. Replace the responses with real ones.");
        Line(text, "cases:");
        if (request.Target == TargetKind.Resource)
        {
            ResourceCase(text, request, "a compliant configuration item passes", "true", "pass");
            ResourceCase(text, request, "a non-compliant configuration item fails", "false", "fail");
            Line(text, "  - name: resources that were not collected are insufficient data");
            OneAccount(text);
            Line(text, "      resources: null");
            Line(text, "    expect:");
            Line(text, $"      - {{ outcome: insufficientData, account: \"{Account}\", region: global, resource: organization }}");
            return text.ToString();
        }

        var recordRegion = RecordRegion(request);
        var findingRegion = request.Target switch
        {
            TargetKind.AccountRegion => Region,
            TargetKind.Evidence => recordRegion,
            _ => "global",
        };
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
            OneAccount(text);
            Line(text, "    evidence:");
            Line(text, $"      - {{ service: {service}, operation: {operation}, account: \"{Account}\", region: {recordRegion}, status: {status},");
            Line(text, $"          {body} }}");
            Line(text, "    expect:");
            Line(text, $"      - {{ outcome: {outcome}, account: \"{Account}\", region: {findingRegion} }}");
        }

        return text.ToString();
    }

    private static void ResourceCase(StringBuilder text, RuleScaffoldRequest request, string name, string value, string outcome)
    {
        var arn = $"arn:aws:TODO:{Region}:{Account}:example";
        Line(text, $"  - name: {name}");
        OneAccount(text);
        Line(text, "      resources:");
        Line(text, $"        - {{ resourceType: \"{request.ResourceType}\", resourceId: example, ARN: \"{arn}\",");
        Line(text, $"            awsAccountId: \"{Account}\", awsRegion: {Region}, configuration: {{ Enabled: {value} }} }}");
        Line(text, "    expect:");
        Line(text, $"      - {{ outcome: {outcome}, account: \"{Account}\", region: {Region}, resource: \"{arn}\" }}");
    }

    private static void OneAccount(StringBuilder text)
    {
        Line(text, "    patch:");
        Line(text, "      organization:");
        Line(text, $"        organization: {{ Id: o-exampleorgid, MasterAccountId: \"{Account}\", FeatureSet: ALL }}");
        Line(text, $"        accounts: [ {{ Id: \"{Account}\", Name: Management, State: ACTIVE }} ]");
    }

    /// <summary>A regional operation read by a rule that has no region of its own (organization or account target).</summary>
    private static bool ReadsFixedRegion(RuleScaffoldRequest request) =>
        request.Target is TargetKind.Organization or TargetKind.Account && request.OperationScope == CollectionScope.AccountRegion;

    /// <summary>The region of the evidence record the rule reads.</summary>
    private static string RecordRegion(RuleScaffoldRequest request) =>
        request.OperationScope != CollectionScope.AccountRegion ? "global"
        : request.Target is TargetKind.AccountRegion or TargetKind.Evidence || ReadsFixedRegion(request) ? Region : "global";

    /// <summary>The middle of the id (ACME-GUARDDUTY-01 → GUARDDUTY), else the operation's service.</summary>
    private static string Category(RuleScaffoldRequest request)
    {
        var parts = request.Id.Split('-');
        return parts.Length >= 3 ? string.Join('-', parts[1..^1]) : request.Operation?.Service.ToUpper(CultureInfo.InvariantCulture) ?? "Custom";
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
