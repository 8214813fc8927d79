using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;
using YamlDotNet.Core;

namespace PolicyEngine.Aws.Plan;

/// <summary>The collection plan's diagnostic codes (PE8xxx). Core's codes are in <see cref="DiagnosticCodes"/>.</summary>
public static class PlanDiagnosticCodes
{
    /// <summary>A plan file or directory is malformed or unreadable: not YAML, a missing key, an unknown scope, protocol or forEach source.</summary>
    public const string PlanInvalid = "PE8001";

    /// <summary>One operation appears twice with overlapping scopes, and no fixed parameter tells the two calls apart.</summary>
    public const string OverlappingScopes = "PE8002";

    /// <summary>Two plan files define the same service with different settings (protocol, endpoint, signing name, model...).</summary>
    public const string ConflictingService = "PE8003";
}

/// <summary>
/// Loading several plan directories as one plan, with located diagnostics, and producing the rule compiler's evidence
/// catalogue. The plan model (this class) is the one home of the plan file format and of how each call is made; the
/// catalogue (<see cref="OperationCatalog"/>, in Core) is the one home of what evidence a snapshot can hold, where, and
/// how it is typed. Core consumes only the catalogue, so it never reads plan files or depends on this project.
/// </summary>
public sealed partial class CollectionPlan
{
    /// <summary>
    /// Loads every <c>*.yaml</c> file of each directory as one plan. A service may be defined in several files (e.g. the
    /// shipped plan and a team's additions) when their service settings agree; their operations are then joined.
    /// Problems become diagnostics located at file:line:col; the result is null when there is an error.
    /// </summary>
    /// <param name="directories">Plan directories, as the user wrote them (diagnostics show these paths).</param>
    /// <param name="diagnostics">Receives every problem.</param>
    public static CollectionPlan? Load(IReadOnlyList<string> directories, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errorsBefore = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var services = new List<PlanService>();
        foreach (var directory in directories)
        {
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(Diagnostic.Error(PlanDiagnosticCodes.PlanInvalid, new SourceLocation(directory, 0, 0),
                    $"Cannot read the collection plan directory: {ex.Message} Check the --collectors argument."));
                continue;
            }

            foreach (var path in files)
            {
                var file = System.IO.Path.Combine(directory, System.IO.Path.GetFileName(path)).Replace('\\', '/');
                try
                {
                    var service = ParseService(System.IO.File.ReadAllText(path));
                    service.File = file;
                    services.Add(service);
                }
                catch (YamlException ex)
                {
                    diagnostics.Add(Diagnostic.Error(PlanDiagnosticCodes.PlanInvalid, new SourceLocation(file, (int)ex.Start.Line, (int)ex.Start.Column),
                        $"The plan file is not valid: {ex.Message}"));
                }
                catch (Exception ex) when (ex is InvalidDataException or InvalidCastException or FormatException or OverflowException or IOException or NullReferenceException)
                {
                    var what = ex is InvalidCastException or NullReferenceException ? "a key holds the wrong kind of value (see docs/collect.md for the plan format)" : ex.Message;
                    diagnostics.Add(Diagnostic.Error(PlanDiagnosticCodes.PlanInvalid, new SourceLocation(file, 0, 0), $"The plan file is not valid: {what}"));
                }
            }
        }

        var merged = Merge(services, diagnostics);
        if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore)
        {
            return null;
        }

        var plan = new CollectionPlan(merged);
        try
        {
            plan.Validate();
        }
        catch (InvalidDataException ex)
        {
            diagnostics.Add(Diagnostic.Error(PlanDiagnosticCodes.PlanInvalid, new SourceLocation(string.Join(", ", directories), 0, 0), $"The collection plan is not valid: {ex.Message}"));
            return null;
        }

        foreach (var overlap in plan.Overlaps())
        {
            diagnostics.Add(overlap);
        }

        return diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore ? null : plan;
    }

    /// <summary>The evidence catalogue the rule compiler checks rules against: every operation with where it is collected and how its values are typed.</summary>
    public OperationCatalog ToCatalog() =>
        OperationCatalog.Of(Entries
            .GroupBy(e => new OperationName(e.Service, e.Operation))
            .Select(g => new CollectedOperation(
                g.Key,
                [.. g.Select(e => new CollectionSite(CatalogRole(e.Scope), PlanScopes.IsRegional(e.Scope), Where(e)))],
                NumberTyping.Combine([.. g.Select(Typing)]))));

    /// <summary>A service model types every number whatever the protocol; without one, XML protocols deliver text.</summary>
    private static NumberTyping Typing(PlanEntry e) =>
        e.Definition.Model is not null || e.Definition.Protocol is "json" or "rest-json" ? NumberTyping.AsSent : NumberTyping.Text([], e.Definition.Protocol, Where(e));

    /// <summary>The role whose accounts a scope covers: organization-wide calls are made with the management account's credentials.</summary>
    private static string? CatalogRole(string scope) => scope == PlanScopes.Organization ? "management" : PlanScopes.Role(scope);

    private static string? Where(PlanEntry e) => e.Definition.File is null ? null : $"{e.Definition.File}:{e.Line}:{e.Column}";

    /// <summary>Throws when two entries overlap (for <see cref="Load(string)"/>, which reports problems as exceptions).</summary>
    private void ThrowOnOverlaps()
    {
        var overlaps = Overlaps().ToList();
        if (overlaps.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, overlaps));
        }
    }

    /// <summary>
    /// PE8002: two entries of one operation whose calls can land in the same account and region with the same fixed
    /// parameters. The collector makes each distinct call once per account and region, so which entry's settings apply
    /// would depend on timing, and an organization-scope entry plus a management entry would record the same evidence
    /// twice. Entries for different SRA roles do not overlap (when one account holds both roles, the call is made once).
    /// </summary>
    private IEnumerable<Diagnostic> Overlaps()
    {
        foreach (var group in Entries.GroupBy(e => (e.Service, e.Operation)).Where(g => g.Count() > 1))
        {
            var entries = group.ToList();
            for (var j = 1; j < entries.Count; j++)
            {
                var later = entries[j];
                var earlier = entries.Take(j).FirstOrDefault(e => Overlap(e, later));
                if (earlier is null)
                {
                    continue;
                }

                yield return Diagnostic.Error(PlanDiagnosticCodes.OverlappingScopes,
                    new SourceLocation(later.Definition.File ?? later.Service, later.Line, later.Column),
                    $"{later.Service}:{later.Operation} is already collected with scope '{earlier.Scope}' at {Where(earlier) ?? later.Service}, which overlaps " +
                    $"scope '{later.Scope}' here: both would call it in the same account and region with the same parameters, so the evidence would be ambiguous. " +
                    "Merge the two entries into one (a forEach may list several sources), give them scopes that do not overlap (e.g. 'account' and " +
                    "'account-region', or two different roles), or tell them apart with a fixed parameter of different values (as wafv2 ListWebACLs does with Scope).");
            }
        }
    }

    private static bool Overlap(PlanEntry a, PlanEntry b)
    {
        if (PlanScopes.IsRegional(a.Scope) != PlanScopes.IsRegional(b.Scope))
        {
            return false;
        }

        var roleA = CatalogRole(a.Scope);
        var roleB = CatalogRole(b.Scope);
        if (roleA is not null && roleB is not null && roleA != roleB)
        {
            return false;
        }

        // A fixed parameter both set, to different values, that no forEach overwrites, keeps the calls apart.
        var fannedOut = a.ForEach.Select(f => f.Parameter).Concat(b.ForEach.Select(f => f.Parameter)).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in a.Parameters)
        {
            if (!fannedOut.Contains(name) && b.Parameters.TryGetPropertyValue(name, out var other) &&
                !System.Text.Json.Nodes.JsonNode.DeepEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Joins services defined in several files; PE8003 when their service settings differ.</summary>
    private static List<PlanService> Merge(List<PlanService> services, ICollection<Diagnostic> diagnostics)
    {
        var byId = new Dictionary<string, PlanService>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!byId.TryGetValue(service.Service, out var first))
            {
                byId[service.Service] = service;
                continue;
            }

            if (SettingsOf(first) != SettingsOf(service))
            {
                diagnostics.Add(Diagnostic.Error(PlanDiagnosticCodes.ConflictingService, new SourceLocation(service.File ?? service.Service, service.Line, service.Column),
                    $"Service '{service.Service}' is already defined in {first.File}:{first.Line}:{first.Column} with different settings " +
                    $"({SettingsOf(first)} there, {SettingsOf(service)} here). A service's files must agree on protocol, endpoint, signing, API version and model; " +
                    "copy the settings of the first file, or add your operations to it."));
                continue;
            }

            first.Operations.AddRange(service.Operations);
        }

        return [.. byId.Values.OrderBy(s => s.Service, StringComparer.Ordinal)];
    }

    private static string SettingsOf(PlanService s) =>
        $"protocol {s.Protocol}, jsonVersion {s.JsonVersion}, targetPrefix {s.TargetPrefix ?? "-"}, endpointPrefix {s.EndpointPrefix}, signingName {s.SigningName}, " +
        $"apiVersion {s.ApiVersion ?? "-"}, hostPattern {s.HostPattern ?? "-"}, model {s.Model ?? "-"}, globalRegions " +
        string.Join(" ", s.GlobalRegions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
}
