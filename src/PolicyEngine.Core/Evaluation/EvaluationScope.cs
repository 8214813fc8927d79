using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Evaluation;

/// <summary>A resolved input: a value, no value (an optional input that is absent), or a reason the data is missing.</summary>
internal readonly record struct ResolvedInput(PathValue? Value, string? Missing);

/// <summary>
/// What names mean while one rule is evaluated for one subject (or one forEach item): declared inputs resolved
/// to evidence, and the built-ins subject, account, organization, roles and regions.
/// </summary>
internal sealed class EvaluationScope
{
    private readonly Snapshot _snapshot;
    private readonly IReadOnlyDictionary<string, ResolvedInput> _inputs;

    public EvaluationScope(Snapshot snapshot, Subject subject, PathValue? item, IReadOnlyDictionary<string, ResolvedInput> inputs, TraceSink? trace = null,
        bool describePasses = true)
    {
        _snapshot = snapshot;
        Subject = subject;
        Item = item;
        _inputs = inputs;
        Trace = trace;
        DescribePasses = describePasses || trace is not null;
    }

    public Subject Subject { get; }

    /// <summary>
    /// Whether a condition that holds says what held (its detail and the value's location). Only a listed Pass
    /// finding and a tracer show them: a counted Pass, and a `where` that holds, drop them, and building them was a
    /// seventh of everything allocated on a two-rule run over 100,000 Config items.
    /// </summary>
    public bool DescribePasses { get; }

    /// <summary>Where conditions report themselves; null (and free) when no tracer is set.</summary>
    public TraceSink? Trace { get; }

    /// <summary>The current forEach item, which is what "subject" means inside forEach.</summary>
    public PathValue? Item { get; }

    public string? SubjectAccountId => Subject.AccountId;

    public DateTimeOffset? Now => _snapshot.CollectedAt;

    public IReadOnlyList<string> AccountsOfRole(string role) =>
        _snapshot.RoleAccounts.TryGetValue(role, out var ids) ? ids : [];

    public ResolvedInput Resolve(string name)
    {
        switch (name)
        {
            case "subject":
                var subject = Item ?? Subject.Json;
                return subject is null ? new ResolvedInput(null, "the subject has no JSON to select from") : new ResolvedInput(subject, null);
            case "account":
                return Subject.Account is { } account
                    ? new ResolvedInput(new PathValue(account.Element, account.Path), null)
                    : new ResolvedInput(null, "the subject's account is not in the snapshot's organization.accounts");
            case "organization":
                return _snapshot.Organization is { } organization
                    ? new ResolvedInput(new PathValue(organization, NormalizedPath.Root.Append("organization")), null)
                    : new ResolvedInput(null, "the snapshot has no organization section (it was not collected)");
            case "roles":
                return _snapshot.RolesSection is { } roles
                    ? new ResolvedInput(new PathValue(roles, NormalizedPath.Root.Append("roles")), null)
                    : new ResolvedInput(null, "the snapshot has no roles section");
            case "regions":
                return _snapshot.Root.TryGetProperty("regions", out var regions)
                    ? new ResolvedInput(new PathValue(regions, NormalizedPath.Root.Append("regions")), null)
                    : new ResolvedInput(null, "the snapshot has no regions section");
            default:
                return _inputs.TryGetValue(name, out var input) ? input : new ResolvedInput(null, $"input '{name}' was not resolved");
        }
    }
}

/// <summary>Resolves a rule's declared inputs for a subject into evidence records.</summary>
internal static class InputResolver
{
    /// <summary>Finds the evidence record an input refers to for a subject (and item, for selector parameters).</summary>
    /// <returns>The record, or a reason it cannot be looked up (e.g. a role with no account).</returns>
    public static (EvidenceRecord? Record, string? Problem) Find(Snapshot snapshot, InputDefinition input, Subject subject, PathValue? item)
    {
        string? account = input.Account switch
        {
            "subject" => subject.AccountId,
            var role when SraRoles.IsRole(role) => PickRoleAccount(snapshot, role, subject),
            var literal => literal,
        };
        if (account is null)
        {
            return (null, input.Account == "subject"
                ? $"input '{input.Name}' needs the subject's account, but the subject has none"
                : $"input '{input.Name}' reads the {input.Account} account, but no account is assigned that SRA role in the snapshot");
        }

        var region = input.Region switch
        {
            "subject" => subject.Region ?? "global",
            var literal => literal,
        };

        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var parameter in input.Parameters)
        {
            if (parameter.Literal is { } literal)
            {
                parameters.Add(new(parameter.Name, EvidenceParameters.Expand(literal, account, region)));
                continue;
            }

            var source = item ?? subject.Json;
            var nodes = source is { } s ? parameter.Selector!.Evaluate(s.Value) : NodeList.Empty;
            if (nodes.Count == 0)
            {
                return (null, $"input '{input.Name}' parameter {parameter.Name} selects nothing with {parameter.Selector!.Text}");
            }

            var value = nodes[0].Value;
            parameters.Add(new(parameter.Name, EvidenceParameters.Canonical(value)));
        }

        var key = new EvidenceKey(input.Operation.Service, input.Operation.Operation, account, region, EvidenceKey.CanonicalParameters(parameters));
        return (snapshot.FindEvidence(key), null);
    }

    /// <summary>A role may hold several accounts; prefer the subject's own account when it holds the role.</summary>
    private static string? PickRoleAccount(Snapshot snapshot, string role, Subject subject)
    {
        var ids = snapshot.RoleAccounts.TryGetValue(role, out var list) ? list : [];
        if (subject.AccountId is { } own && ids.Contains(own, StringComparer.Ordinal))
        {
            return own;
        }

        return ids.Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
