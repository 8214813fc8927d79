using System.Globalization;
using System.Text.Json;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Sharding;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Reporting;

/// <summary>A JSON findings report read back into the report model (<see cref="JsonReportReader"/>).</summary>
/// <param name="File">The report file, as the user gave it.</param>
/// <param name="ToolName">tool.name.</param>
/// <param name="ToolVersion">tool.version.</param>
/// <param name="Snapshot">The snapshot path the report names.</param>
/// <param name="IncludesPassing">Whether every finding is listed.</param>
/// <param name="Stamp">The shard member; null for a report written without <c>--shard</c>.</param>
/// <param name="Rules">The rules, in the report's order (by id).</param>
/// <param name="Findings">The findings, in the report's order.</param>
/// <param name="CollectedAt">The snapshot's collection time, which a shard report records.</param>
public sealed record ReadReport(
    string File, string ToolName, string ToolVersion, string Snapshot, bool IncludesPassing, ShardStamp? Stamp,
    IReadOnlyList<RuleDescriptor> Rules, IReadOnlyList<Finding> Findings, DateTimeOffset? CollectedAt)
{
    /// <summary>The report as the evaluation result it was written from.</summary>
    public EvaluationResult ToResult() => new(Snapshot, Rules, Findings) { CollectedAt = CollectedAt };
}

/// <summary>
/// Reads what <see cref="JsonReporter"/> writes back into descriptors and findings, so that a report can be
/// rendered again in any format (<c>policy-engine merge</c>). It is the reporter's inverse: a member the reporter
/// gains must be read here too, which the round-trip tests check byte for byte.
/// </summary>
public static class JsonReportReader
{
    /// <summary>True when the JSON document's <c>$schema</c> names the findings report schema.</summary>
    public static bool IsFindingsReport(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$schema", out var schema) &&
        schema.ValueKind == JsonValueKind.String && schema.ValueEquals(JsonReporter.SchemaId);

    /// <summary>Reads a findings report; null (with a PE9101 diagnostic located at the file) when it is not one.</summary>
    public static ReadReport? Read(JsonElement root, string file, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(diagnostics);
        try
        {
            return ReadReport(root, file);
        }
        catch (MalformedReportException e)
        {
            diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.UnreadableInput, new SourceLocation(file, 0, 0),
                $"'{file}' is not a findings report as evaluate --format json writes it: {e.Message}. Give merge the JSON reports of evaluate --shard, unchanged."));
            return null;
        }
    }

    private static ReadReport ReadReport(JsonElement root, string file)
    {
        if (!IsFindingsReport(root))
        {
            throw new MalformedReportException($"$schema is not {JsonReporter.SchemaId}");
        }

        var tool = Member(root, "tool", JsonValueKind.Object);
        var rules = new List<RuleDescriptor>();
        var byId = new Dictionary<string, RuleDescriptor>(StringComparer.Ordinal);
        foreach (var element in Member(root, "rules", JsonValueKind.Array).EnumerateArray())
        {
            var rule = ReadRule(element);
            if (!byId.TryAdd(rule.Id, rule))
            {
                throw new MalformedReportException($"rule {rule.Id} is listed twice");
            }

            rules.Add(rule);
        }

        // A shard report records what the model holds beyond the report's members: OU paths and the collection time.
        var hasShard = root.TryGetProperty("shard", out var shard);
        var ouPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        DateTimeOffset? collectedAt = null;
        if (hasShard)
        {
            foreach (var entry in Member(shard, "ouPaths", JsonValueKind.Object).EnumerateObject())
            {
                ouPaths[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : throw new MalformedReportException($"ouPaths.{entry.Name} is not a string");
            }

            if (OptionalText(shard, "collectedAt") is { } time)
            {
                collectedAt = DateTimeOffset.TryParseExact(time, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                    ? parsed
                    : throw new MalformedReportException($"shard.collectedAt '{time}' is not a round-trip date and time");
            }
        }

        var findings = new List<Finding>();
        foreach (var element in Member(root, "findings", JsonValueKind.Array).EnumerateArray())
        {
            findings.Add(ReadFinding(element, byId, ouPaths));
        }

        return new ReadReport(file, Text(tool, "name"), Text(tool, "version"), Text(root, "snapshot"), Member(root, "includesPassing", JsonValueKind.True, JsonValueKind.False).GetBoolean(),
            hasShard ? ReadStamp(shard) : null, rules, findings, collectedAt);
    }

    private static ShardStamp ReadStamp(JsonElement shard)
    {
        var index = Member(shard, "index", JsonValueKind.Number).TryGetInt32(out var i) ? i : -1;
        var count = Member(shard, "count", JsonValueKind.Number).TryGetInt32(out var c) ? c : -1;
        if (count < 1 || count > Shard.MaxCount || index < 0 || index >= count)
        {
            throw new MalformedReportException($"shard {index}/{count} is not a shard (0 ≤ index < count ≤ {Shard.MaxCount})");
        }

        return new ShardStamp(Shard.Create(index, count), Text(shard, "snapshotSha256"), Text(shard, "packSha256"), OptionalText(shard, "configSha256"));
    }

    private static RuleDescriptor ReadRule(JsonElement rule)
    {
        var severity = Text(rule, "defaultSeverity");
        return new RuleDescriptor
        {
            Id = Text(rule, "id"),
            Title = Text(rule, "title"),
            // The message format is the rule's, not the report's: findings carry their rendered messages.
            MessageFormat = string.Empty,
            Category = Text(rule, "category"),
            DefaultSeverity = RuleSeverityNames.TryParse(severity, out var parsed) ? parsed : throw new MalformedReportException($"defaultSeverity '{severity}' is not a severity"),
            IsEnabledByDefault = Member(rule, "enabledByDefault", JsonValueKind.True, JsonValueKind.False).GetBoolean(),
            Target = Text(rule, "target"),
            Description = Text(rule, "description"),
            Remediation = Text(rule, "remediation"),
            HelpUri = OptionalText(rule, "helpUri"),
            SraVerifyCheck = OptionalText(rule, "sraVerifyCheck"),
            SraExamplesSolution = OptionalText(rule, "sraExamplesSolution"),
            IsExtension = Member(rule, "extension", JsonValueKind.True, JsonValueKind.False).GetBoolean(),
            DiffersFromSraVerify = OptionalText(rule, "differsFromSraVerify"),
            AccountScope = Strings(rule, "accountScope"),
            Tags = Strings(rule, "tags"),
            Links = Strings(rule, "links"),
            SourceFile = Text(rule, "sourceFile"),
        };
    }

    private static Finding ReadFinding(JsonElement finding, Dictionary<string, RuleDescriptor> rules, Dictionary<string, string> ouPaths)
    {
        var ruleId = Text(finding, "ruleId");
        var rule = rules.GetValueOrDefault(ruleId) ?? throw new MalformedReportException($"a finding names rule {ruleId}, which the rules list does not hold");
        var outcome = Text(finding, "outcome");
        var severity = Text(finding, "severity");
        var subject = Member(finding, "subject", JsonValueKind.Object);
        var kind = Text(subject, "kind");
        var account = OptionalText(subject, "account");
        NormalizedPath? path = null;
        int line = 0, column = 0;
        if (finding.TryGetProperty("location", out var location))
        {
            if (OptionalText(location, "path") is { } text)
            {
                path = NormalizedPath.TryParse(text) ?? throw new MalformedReportException($"location.path '{text}' is not a normalized path");
            }

            line = location.TryGetProperty("line", out var l) && l.TryGetInt32(out var lv) ? lv : 0;
            column = location.TryGetProperty("column", out var c) && c.TryGetInt32(out var cv) ? cv : 0;
        }

        return new Finding
        {
            Rule = rule,
            Outcome = ModelNames.TryParseOutcome(outcome, out var o) ? o : throw new MalformedReportException($"outcome '{outcome}' is not an outcome"),
            Severity = RuleSeverityNames.TryParse(severity, out var s) ? s : throw new MalformedReportException($"severity '{severity}' is not a severity"),
            Subject = new FindingSubject
            {
                Kind = TargetKinds.TryGetValue(kind, out var k) ? k : throw new MalformedReportException($"subject kind '{kind}' is not a target kind"),
                Account = account,
                OuPath = OptionalText(subject, "ouPath") ?? (account is null ? null : ouPaths.GetValueOrDefault(account)),
                AccountName = OptionalText(subject, "accountName"),
                Region = OptionalText(subject, "region"),
                Resource = OptionalText(subject, "resource"),
            },
            Message = Text(finding, "message"),
            Path = path,
            Line = line,
            Column = column,
            Code = OptionalText(finding, "code"),
            Fingerprint = OptionalText(finding, "fingerprint") ?? string.Empty,
            Suppression = finding.TryGetProperty("suppression", out var suppression)
                ? new SuppressionInfo(Text(suppression, "justification"), Text(suppression, "source"), OptionalText(suppression, "owner"))
                : null,
        };
    }

    private static readonly Dictionary<string, TargetKind> TargetKinds =
        Enum.GetValues<TargetKind>().ToDictionary(k => k.ToName(), StringComparer.Ordinal);

    private static JsonElement Member(JsonElement parent, string name, params JsonValueKind[] kinds) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && kinds.Contains(value.ValueKind)
            ? value
            : throw new MalformedReportException($"member '{name}' is missing or not {string.Join(" or ", kinds.Select(k => k.ToString().ToLowerInvariant()))}");

    private static string Text(JsonElement parent, string name) => Member(parent, name, JsonValueKind.String).GetString()!;

    private static string? OptionalText(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new MalformedReportException($"member '{name}' is not a string") : null;

    private static string[] Strings(JsonElement parent, string name) =>
        [.. Member(parent, name, JsonValueKind.Array).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new MalformedReportException($"{name} holds a non-string"))];

    private sealed class MalformedReportException(string message) : Exception(message);
}
