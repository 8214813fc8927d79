using System.Globalization;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Core.Yaml;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Configuration;

/// <summary>Per-rule or per-category settings.</summary>
/// <param name="Severity">Overrides the default severity.</param>
/// <param name="Enabled">Overrides enabled-by-default.</param>
public sealed record RuleSettings(RuleSeverity? Severity, bool? Enabled)
{
    /// <summary>Severities for parts of the organization (<c>scopes:</c>), in file order.</summary>
    public IReadOnlyList<SeverityScope> Scopes { get; init; } = [];
}

/// <summary>
/// Policy configuration: severity is configuration, and suppressions carry a justification. The effective severity
/// of a finding is resolved in one place, <see cref="EffectiveSeverity"/>: among the entries that apply to the
/// finding (the rule's and its category's own <c>severity</c>, and their <c>scopes</c> that match the finding's
/// account, OU path and region), the most specific scope wins (<see cref="Specificity"/>: account, then the deeper OU
/// prefix, then region, then unscoped); at equal specificity the rule's entry wins over its category's, and within
/// one list the later entry wins. Without any, the rule's default severity applies.
/// </summary>
public sealed class PolicyConfig
{
    /// <summary>Configuration that changes nothing.</summary>
    public static PolicyConfig Empty { get; } = new(new Dictionary<string, RuleSettings>(), new Dictionary<string, RuleSettings>(), [], ScriptSandboxOptions.Default, []);

    private readonly IReadOnlyList<(string Kind, string Name, SourceLocation Location)> _references;

    private PolicyConfig(IReadOnlyDictionary<string, RuleSettings> rules, IReadOnlyDictionary<string, RuleSettings> categories, IReadOnlyList<Suppression> suppressions,
        ScriptSandboxOptions sandbox, IReadOnlyList<(string Kind, string Name, SourceLocation Location)> references)
    {
        Rules = rules;
        Categories = categories;
        Suppressions = suppressions;
        Sandbox = sandbox;
        _references = references;
    }

    /// <summary>
    /// Limits of the JavaScript predicate sandbox (<c>sandbox:</c>), used both when the pack is compiled
    /// (<c>maxSourceLength</c>) and when it runs. Always valid: out-of-range values are PE2103 diagnostics.
    /// </summary>
    public ScriptSandboxOptions Sandbox { get; }

    /// <summary>Settings by rule id.</summary>
    public IReadOnlyDictionary<string, RuleSettings> Rules { get; }

    /// <summary>Settings by category.</summary>
    public IReadOnlyDictionary<string, RuleSettings> Categories { get; }

    /// <summary>Suppressions, in file order.</summary>
    public IReadOnlyList<Suppression> Suppressions { get; }

    /// <summary>
    /// The severity a finding of <paramref name="rule"/> about <paramref name="subject"/> carries; without a subject,
    /// the rule's severity where no scope applies (what <c>list-rules</c> shows). Every report and the gates read the
    /// finding's <see cref="Finding.Severity"/>, set from this.
    /// </summary>
    public RuleSeverity EffectiveSeverity(RuleDescriptor rule, FindingSubject? subject = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var severity = rule.DefaultSeverity;
        (Specificity Scope, int Level)? best = null;

        // Candidates are visited from the weakest tie-breaker to the strongest (category before rule, file order), so
        // that ">=" hands every tie to the entry visited later.
        void Consider(Specificity scope, int level, RuleSeverity candidate)
        {
            if (best is not { } current || scope > current.Scope || (scope == current.Scope && level >= current.Level))
            {
                best = (scope, level);
                severity = candidate;
            }
        }

        void ConsiderAll(RuleSettings? settings, int level)
        {
            if (settings is null)
            {
                return;
            }

            if (settings.Severity is { } own)
            {
                Consider(Specificity.Unscoped, level, own);
            }

            if (subject is not null)
            {
                foreach (var scope in settings.Scopes)
                {
                    if (scope.SpecificityFor(subject) is { } specificity)
                    {
                        Consider(specificity, level, scope.Severity);
                    }
                }
            }
        }

        ConsiderAll(Categories.GetValueOrDefault(rule.Category), 0);
        ConsiderAll(Rules.GetValueOrDefault(rule.Id), 1);
        return severity;
    }

    /// <summary>True when the rule or its category has severity scopes, so its findings' severity may differ by subject.</summary>
    public bool HasScopedSeverity(RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Rules.GetValueOrDefault(rule.Id)?.Scopes.Count > 0 || Categories.GetValueOrDefault(rule.Category)?.Scopes.Count > 0;
    }

    /// <summary>Whether a rule runs (same precedence as severity).</summary>
    public bool IsEnabled(RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Rules.GetValueOrDefault(rule.Id)?.Enabled ?? Categories.GetValueOrDefault(rule.Category)?.Enabled ?? rule.IsEnabledByDefault;
    }

    /// <summary>The first suppression that covers a finding.</summary>
    /// <param name="finding">The finding.</param>
    /// <param name="accountTags">The tags of the finding's account, or null when the snapshot does not hold them.</param>
    /// <param name="today">The evaluation date.</param>
    public Suppression? FindSuppression(Finding finding, IReadOnlyDictionary<string, string>? accountTags, DateOnly today) =>
        Suppressions.FirstOrDefault(s => s.Matches(finding, accountTags, today));

    /// <summary>
    /// A warning (PE9045) for every suppression that has expired by <paramref name="today"/>, at its <c>expires</c>
    /// value: it no longer applies, so its findings count again.
    /// </summary>
    public IEnumerable<Diagnostic> ExpiredSuppressions(DateOnly today)
    {
        foreach (var suppression in Suppressions)
        {
            if (suppression.IsExpired(today))
            {
                var owner = suppression.Owner is { } o ? $" (owner {o})" : string.Empty;
                yield return Diagnostic.Warning(DiagnosticCodes.ConfigSuppressionExpired, suppression.ExpiresLocation ?? suppression.Location,
                    string.Create(CultureInfo.InvariantCulture,
                        $"The suppression of {suppression.Rule}{owner} expired on {suppression.Expires:yyyy-MM-dd}, before the evaluation date {today:yyyy-MM-dd}: its findings are reported and gate again. Set a later 'expires' if the risk is still accepted, or remove the suppression."));
            }
        }
    }

    /// <summary>
    /// Checks the rule ids and categories the configuration names against a compiled pack. Unknown ones are warnings
    /// (packs change), each at the line:col where it is written, with the closest names the pack does have.
    /// </summary>
    public IEnumerable<Diagnostic> CheckAgainst(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var ids = rules.Rules.Select(r => r.Descriptor.Id).ToArray();
        var categories = rules.Rules.Select(r => r.Descriptor.Category).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var (kind, name, location) in _references)
        {
            if (kind == "ou")
            {
                continue;
            }

            if (kind == "category")
            {
                if (!categories.Contains(name, StringComparer.Ordinal))
                {
                    yield return Diagnostic.Warning(DiagnosticCodes.ConfigUnknownCategory, location,
                        $"Configuration names category '{name}', which no rule of the pack has; remove the entry or fix the name.{DidYouMean(name, categories)}");
                }
            }
            else if (rules.Find(name) is null)
            {
                yield return Diagnostic.Warning(DiagnosticCodes.ConfigUnknownRule, location,
                    $"Configuration names rule '{name}', which the rule pack does not have; remove the entry or fix the id.{DidYouMean(name, ids)}");
            }
        }
    }

    /// <summary>
    /// Checks the configuration against the snapshot it evaluates, as warnings: suppressions expired by the evaluation
    /// date (PE9045, <see cref="ExpiredSuppressions"/>), suppressions that match by account tags when the snapshot holds
    /// no account's tags (PE9046: they cannot match), and OU paths under which the snapshot has no account (PE9047).
    /// </summary>
    public IEnumerable<Diagnostic> CheckAgainst(Snapshot snapshot, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var expired in ExpiredSuppressions(today))
        {
            yield return expired;
        }

        var accounts = snapshot.Accounts ?? [];
        if (!accounts.Any(a => a.Tags is not null))
        {
            foreach (var suppression in Suppressions.Where(s => s.AccountTags.Count > 0 && !s.IsExpired(today)))
            {
                yield return Diagnostic.Warning(DiagnosticCodes.ConfigAccountTagsNotInSnapshot, suppression.Location,
                    $"The suppression of {suppression.Rule} matches by 'accountTags', but the snapshot holds no account's tags, so it suppresses nothing. "
                    + "Collect the snapshot again with this version (it reads organizations:ListTagsForResource for every account), or match by 'accounts' or 'ous' instead.");
            }
        }

        // Every prefix of every account's OU path: an OU path of the configuration must be one of them to cover an account.
        var prefixes = accounts.Select(a => a.OuPath).Where(p => p.Length > 0)
            .SelectMany(p => Enumerable.Range(1, SeverityScope.Segments(p)).Select(n => string.Join('/', p.Split('/', StringSplitOptions.RemoveEmptyEntries).Take(n))))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        if (prefixes.Length == 0)
        {
            yield break;
        }

        foreach (var (_, name, location) in _references.Where(r => r.Kind == "ou"))
        {
            if (!prefixes.Any(prefix => prefix.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                yield return Diagnostic.Warning(DiagnosticCodes.ConfigOuPathUnknown, location,
                    $"OU path '{name}' covers no account of the snapshot, so this entry matches nothing; fix the path (reports and the snapshot's organization.accounts[].OuPath show the accounts' paths).{DidYouMean(name, prefixes)}");
            }
        }
    }

    /// <summary>" Did you mean 'A', 'B' or 'C'?" with up to three names nearest to a misspelling, or nothing.</summary>
    private static string DidYouMean(string name, IEnumerable<string> known)
    {
        var nearest = YamlValues.Nearest(name, known, 3);
        return nearest.Count switch
        {
            0 => string.Empty,
            1 => $" Did you mean '{nearest[0]}'?",
            _ => $" Did you mean {string.Join(", ", nearest.SkipLast(1).Select(n => $"'{n}'"))} or '{nearest[^1]}'?",
        };
    }

    /// <summary>Reads a configuration file. Problems are diagnostics; returns null when there are errors.</summary>
    public static PolicyConfig? Load(string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ConfigInvalid, new SourceLocation(path, 0, 0), $"Cannot read the configuration: {ex.Message}"));
            return null;
        }

        return Parse(text, path, diagnostics);
    }

    /// <summary>Parses configuration text.</summary>
    public static PolicyConfig? Parse(string text, string file, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errorsBefore = diagnostics.Count;
        var root = SafeYamlReader.Read(text, file, diagnostics);
        if (root is null)
        {
            return diagnostics.Count > errorsBefore ? null : Empty;
        }

        var values = new YamlValues(diagnostics);
        if (values.Mapping(root, "configuration") is not { } mapping)
        {
            return null;
        }

        values.CheckKeys(mapping, "the policy configuration", ["rules", "categories", "suppressions", "sandbox"]);
        var sandbox = ReadSandbox(values, mapping["sandbox"]);
        var references = new List<(string Kind, string Name, SourceLocation Location)>();
        var rules = ReadSettings(values, mapping["rules"], "rules", "rule", references);
        var categories = ReadSettings(values, mapping["categories"], "categories", "category", references);
        var suppressions = new List<Suppression>();
        if (mapping["suppressions"] is { } list)
        {
            if (list is not YamlSequence sequence)
            {
                values.Error(DiagnosticCodes.ConfigInvalid, list.Start, "'suppressions' must be a list.");
            }
            else
            {
                foreach (var item in sequence.Items)
                {
                    if (values.Mapping(item, "suppression") is not { } entry)
                    {
                        continue;
                    }

                    values.CheckKeys(entry, "a suppression", ["rule", "accounts", "regions", "ous", "accountTags", "resources", "owner", "justification", "expires"]);
                    var rule = values.String(entry["rule"], "rule", true, entry.Start);
                    var justification = values.String(entry["justification"], "justification", false, entry.Start);
                    var ouPaths = ReadOuPaths(values, entry["ous"], references);
                    var accountTags = ReadAccountTags(values, entry["accountTags"]);
                    var resources = ReadResourceGlobs(values, entry["resources"]);
                    var owner = ReadOwner(values, entry["owner"]);
                    if (string.IsNullOrWhiteSpace(justification))
                    {
                        values.Error(DiagnosticCodes.ConfigSuppressionWithoutJustification, entry.Start,
                            "A suppression needs a 'justification' saying why the finding is accepted.");
                        continue;
                    }

                    DateOnly? expires = null;
                    if (values.String(entry["expires"], "expires", false, entry.Start) is { } expiresText)
                    {
                        if (DateOnly.TryParseExact(expiresText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                        {
                            expires = date;
                        }
                        else
                        {
                            values.Error(DiagnosticCodes.ConfigInvalid, entry["expires"]!.Start, $"'expires' must be a date like 2027-01-31, not '{expiresText}'.");
                        }
                    }

                    if (rule is null)
                    {
                        continue;
                    }

                    references.Add(("rule", rule, entry["rule"]!.Start));

                    suppressions.Add(new Suppression
                    {
                        Rule = rule,
                        Accounts = values.StringList(entry["accounts"], "accounts") ?? [],
                        Regions = values.StringList(entry["regions"], "regions") ?? [],
                        OuPaths = ouPaths,
                        AccountTags = accountTags,
                        Resources = resources,
                        Owner = owner,
                        Justification = justification.Trim(),
                        Expires = expires,
                        Location = entry.Start,
                        ExpiresLocation = expires is null ? null : entry["expires"]!.Start,
                    });
                }
            }
        }

        return diagnostics.Skip(errorsBefore).Any(d => d.Severity == DiagnosticSeverity.Error) ? null : new PolicyConfig(rules, categories, suppressions, sandbox, references);
    }

    /// <summary>The sandbox option names as written in the configuration, in <see cref="ScriptSandboxOptions.Validate"/>'s order.</summary>
    public static IReadOnlyList<string> SandboxKeys { get; } = ["timeoutMs", "maxStatements", "memoryLimitBytes", "maxRecursionDepth", "regexTimeoutMs", "maxSourceLength"];

    /// <summary>
    /// Reads <c>sandbox:</c>. Each value must be a whole number inside its range (checked by
    /// <see cref="ScriptSandboxOptions.Validate"/>); every bad value is PE2103 at the value itself.
    /// </summary>
    private static ScriptSandboxOptions ReadSandbox(YamlValues values, YamlNode? node)
    {
        if (values.Mapping(node, "sandbox") is not { } mapping)
        {
            return ScriptSandboxOptions.Default;
        }

        values.CheckKeys(mapping, "'sandbox'", SandboxKeys);
        var numbers = new Dictionary<string, (long Value, YamlNode Node)>(StringComparer.Ordinal);
        foreach (var key in SandboxKeys)
        {
            if (mapping[key] is not { } value)
            {
                continue;
            }

            if (value is YamlScalar { IsPlain: true } scalar &&
                long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                numbers[key] = (number, value);
            }
            else
            {
                values.Error(DiagnosticCodes.InvalidSandboxOptions, value.Start,
                    $"Sandbox option '{key}' must be a whole number, but it is {(value is YamlScalar s ? YamlValues.Quote(s.Value) : value.KindName)}.");
            }
        }

        // Out-of-int-range values are clamped so that Validate() reports them with the range; the message shows the written value.
        int Narrow(string key, int fallback) =>
            numbers.TryGetValue(key, out var n) ? (int)Math.Clamp(n.Value, int.MinValue, int.MaxValue) : fallback;
        var defaults = ScriptSandboxOptions.Default;
        var options = new ScriptSandboxOptions
        {
            TimeoutMs = Narrow("timeoutMs", defaults.TimeoutMs),
            MaxStatements = Narrow("maxStatements", defaults.MaxStatements),
            MemoryLimitBytes = numbers.TryGetValue("memoryLimitBytes", out var memory) ? memory.Value : defaults.MemoryLimitBytes,
            MaxRecursionDepth = Narrow("maxRecursionDepth", defaults.MaxRecursionDepth),
            RegexTimeoutMs = Narrow("regexTimeoutMs", defaults.RegexTimeoutMs),
            MaxSourceLength = Narrow("maxSourceLength", defaults.MaxSourceLength),
        };
        var problems = options.Validate();
        foreach (var problem in problems)
        {
            var key = SandboxKeys.First(k => problem.StartsWith(k + " ", StringComparison.Ordinal));
            var (written, at) = numbers[key];
            var range = problem[(key.Length + 1)..];
            var cut = range.IndexOf(" (was ", StringComparison.Ordinal);
            values.Error(DiagnosticCodes.InvalidSandboxOptions, at.Start,
                string.Create(CultureInfo.InvariantCulture, $"Sandbox option '{key}' {(cut < 0 ? range : range[..cut])}, but it is {written}."));
        }

        return problems.Count == 0 ? options : ScriptSandboxOptions.Default;
    }

    private static Dictionary<string, RuleSettings> ReadSettings(YamlValues values, YamlNode? node, string key, string kind,
        List<(string Kind, string Name, SourceLocation Location)> references)
    {
        var settings = new Dictionary<string, RuleSettings>(StringComparer.Ordinal);
        if (values.Mapping(node, key) is not { } mapping)
        {
            return settings;
        }

        foreach (var (name, value) in mapping.Entries)
        {
            if (values.Mapping(value, name.Value) is not { } entry)
            {
                continue;
            }

            references.Add((kind, name.Value, name.Start));
            values.CheckKeys(entry, $"'{name.Value}'", ["severity", "enabled", "scopes"]);
            var severity = ReadSeverity(values, entry["severity"]);
            settings[name.Value] = new RuleSettings(severity, values.Bool(entry["enabled"], "enabled"))
            {
                Scopes = ReadScopes(values, entry["scopes"], name.Value, references),
            };
        }

        return settings;
    }

    private static RuleSeverity? ReadSeverity(YamlValues values, YamlNode? node)
    {
        if (node is null || values.String(node, "severity", false, node.Start) is not { } text)
        {
            return null;
        }

        if (RuleSeverityNames.TryParse(text, out var parsed))
        {
            return parsed;
        }

        values.Error(DiagnosticCodes.ConfigInvalid, node!.Start, $"Severity '{text}' is not one of {string.Join(", ", RuleSeverityNames.All)}.");
        return null;
    }

    /// <summary>The scope keys of a <c>scopes:</c> entry, beside its <c>severity</c>.</summary>
    private static readonly string[] ScopeKeys = ["accounts", "ous", "regions"];

    /// <summary>Reads a rule's or category's <c>scopes:</c>: a list of { accounts, ous, regions, severity }.</summary>
    private static List<SeverityScope> ReadScopes(YamlValues values, YamlNode? node, string owner,
        List<(string Kind, string Name, SourceLocation Location)> references)
    {
        var scopes = new List<SeverityScope>();
        if (node is null)
        {
            return scopes;
        }

        if (node is not YamlSequence sequence)
        {
            values.Error(DiagnosticCodes.ConfigInvalidSeverityScope, node.Start,
                $"'scopes' of '{owner}' must be a list of entries such as '- {{ ous: Root/Workloads/Prod, severity: critical }}', but it is {node.KindName}.");
            return scopes;
        }

        foreach (var item in sequence.Items)
        {
            if (item is not YamlMapping entry)
            {
                values.Error(DiagnosticCodes.ConfigInvalidSeverityScope, item.Start,
                    $"An entry of 'scopes' of '{owner}' must be a mapping such as '{{ ous: Root/Workloads/Prod, severity: critical }}', but it is {item.KindName}.");
                continue;
            }

            values.CheckKeys(entry, "a severity scope", [.. ScopeKeys, "severity"]);
            var severity = ReadSeverity(values, entry["severity"]);
            if (entry["severity"] is null)
            {
                values.Error(DiagnosticCodes.ConfigInvalidSeverityScope, entry.Start,
                    $"This scope of '{owner}' has no 'severity': add the severity its findings carry, e.g. 'severity: critical'.");
            }

            if (!ScopeKeys.Any(key => entry[key] is not null))
            {
                values.Error(DiagnosticCodes.ConfigInvalidSeverityScope, entry.Start,
                    $"This scope of '{owner}' names no 'accounts', 'ous' or 'regions', so it would apply everywhere: add one, or set 'severity' on '{owner}' itself.");
                continue;
            }

            var accounts = values.StringList(entry["accounts"], "accounts") ?? [];
            var ouPaths = ReadOuPaths(values, entry["ous"], references);
            var regions = values.StringList(entry["regions"], "regions") ?? [];
            if (severity is { } known)
            {
                scopes.Add(new SeverityScope { Severity = known, Accounts = accounts, OuPaths = ouPaths, Regions = regions, Location = entry.Start });
            }
        }

        return scopes;
    }

    /// <summary>The items of a string-or-list value with the location of each, or none after a PE1002.</summary>
    private static List<(string Value, SourceLocation Location)> Items(YamlValues values, YamlNode? node, string key)
    {
        var items = new List<(string, SourceLocation)>();
        switch (node)
        {
            case null:
                break;
            case YamlScalar { IsNull: false } single:
                items.Add((single.Value, single.Start));
                break;
            case YamlSequence sequence:
                foreach (var item in sequence.Items)
                {
                    if (item is YamlScalar { IsNull: false } scalar)
                    {
                        items.Add((scalar.Value, scalar.Start));
                    }
                    else
                    {
                        values.Error(DiagnosticCodes.WrongType, item.Start, $"Items of '{key}' must be strings, but this one is {item.KindName}.");
                    }
                }

                break;
            default:
                values.Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a string or a list of strings, but it is {node.KindName}.");
                break;
        }

        return items;
    }

    /// <summary>
    /// Reads <c>ous:</c>, OU path prefixes as the <c>--ou</c> filter takes them: names from the root down joined by
    /// <c>/</c> (<c>Root/Workloads/Prod</c>), compared by whole segments, any case. Each malformed one is PE9041.
    /// </summary>
    private static List<string> ReadOuPaths(YamlValues values, YamlNode? node, List<(string Kind, string Name, SourceLocation Location)> references)
    {
        var paths = new List<string>();
        foreach (var (value, location) in Items(values, node, "ous"))
        {
            var trimmed = value.TrimEnd('/');
            var problem = trimmed.Trim().Length == 0 ? "is empty"
                : trimmed.StartsWith('/') ? "starts with '/'"
                : trimmed.Split('/').Any(segment => segment.Trim().Length == 0) ? "has an empty segment"
                : trimmed.AsSpan().IndexOfAny('*', '?') >= 0 ? "has a wildcard"
                : null;
            if (problem is null)
            {
                paths.Add(trimmed);
                references.Add(("ou", trimmed, location));
            }
            else
            {
                values.Error(DiagnosticCodes.ConfigInvalidOuPath, location,
                    $"OU path {YamlValues.Quote(value)} {problem}. Write the OU names from the root down joined by '/', as reports show them (e.g. 'Root/Workloads/Prod'); a path covers its OU and every OU below it, so no wildcard is needed.");
            }
        }

        return paths;
    }

    /// <summary>Reads <c>resources:</c>, globs on the finding's resource. Each malformed one is PE9040.</summary>
    private static List<string> ReadResourceGlobs(YamlValues values, YamlNode? node)
    {
        var globs = new List<string>();
        foreach (var (value, location) in Items(values, node, "resources"))
        {
            if (value.Trim().Length == 0)
            {
                values.Error(DiagnosticCodes.ConfigInvalidGlob, location,
                    "A resource pattern is empty. Write the resource's ARN or id as reports show it, with '*' for any text and '?' for one character (e.g. 'arn:aws:s3:::logs-*'), or leave 'resources' out to cover every resource.");
            }
            else if (value.AsSpan().IndexOfAny("[]{}") is var at and >= 0)
            {
                values.Error(DiagnosticCodes.ConfigInvalidGlob, location,
                    $"Resource pattern {YamlValues.Quote(value)} has '{value[at]}': only '*' (any text) and '?' (one character) are wildcards here, and character classes or alternatives are not supported. List each resource, or use '*' and '?'.");
            }
            else
            {
                globs.Add(value);
            }
        }

        return globs;
    }

    /// <summary>Reads <c>owner:</c>, who answers for the accepted risk. Anything but non-blank text is PE9042.</summary>
    private static string? ReadOwner(YamlValues values, YamlNode? node)
    {
        if (node is null)
        {
            return null;
        }

        // A plain number or boolean (owner: 42, owner: yes is text, owner: true is not) is not text in YAML 1.2 or the schema.
        var notText = node is YamlScalar { IsNull: false } plain && YamlValues.ToJson(plain).ValueKind is not System.Text.Json.JsonValueKind.String;
        if (node is YamlScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0 && !notText)
        {
            return scalar.Value.Trim();
        }

        var what = notText ? $"the {(YamlValues.ToJson(node).ValueKind == System.Text.Json.JsonValueKind.Number ? "number" : "boolean")} {((YamlScalar)node).Value} (quote it if it is a name)"
            : node is YamlScalar ? "empty" : node.KindName;
        values.Error(DiagnosticCodes.ConfigInvalidOwner, node.Start,
            $"'owner' must be text naming who answers for the accepted risk, such as a team or an e-mail address ('owner: team-payments'), but it is {what}.");
        return null;
    }

    /// <summary>
    /// Reads <c>accountTags:</c>, a mapping of tag key to one value or a list of values. Each malformed entry is PE9043.
    /// Keys and values are compared exactly, as AWS stores them (keys up to 128 characters, values up to 256, and a
    /// value may be empty).
    /// </summary>
    private static List<AccountTagCondition> ReadAccountTags(YamlValues values, YamlNode? node)
    {
        var tags = new List<AccountTagCondition>();
        if (node is null)
        {
            return tags;
        }

        if (node is not YamlMapping mapping)
        {
            values.Error(DiagnosticCodes.ConfigInvalidAccountTag, node.Start,
                $"'accountTags' must be a mapping of tag key to value, such as 'accountTags: {{ environment: production }}', but it is {node.KindName}.");
            return tags;
        }

        foreach (var (key, value) in mapping.Entries)
        {
            var accepted = new List<string>();
            var problem = key.Value.Length is 0 or > 128 ? $"Account tag key {YamlValues.Quote(key.Value)} is not a tag key: AWS keys have 1 to 128 characters."
                : value is YamlScalar { IsNull: true } ? $"Account tag '{key.Value}' has no value. Write the value to match ('{key.Value}: production'), a list of values, or '{key.Value}: \"\"' for a tag whose value is empty."
                : null;
            switch (value)
            {
                case var _ when problem is not null:
                    break;
                case YamlScalar scalar:
                    accepted.Add(scalar.Value);
                    break;
                case YamlSequence sequence when sequence.Items.Count > 0 && sequence.Items.All(i => i is YamlScalar { IsNull: false }):
                    accepted.AddRange(sequence.Items.Select(i => ((YamlScalar)i).Value));
                    break;
                default:
                    problem = $"Account tag '{key.Value}' must have a value or a non-empty list of values ('{key.Value}: [production, staging]'), but it is {(value is YamlSequence { Items.Count: 0 } ? "an empty list" : value.KindName)}.";
                    break;
            }

            if (problem is null && accepted.FirstOrDefault(v => v.Length > 256) is { } tooLong)
            {
                problem = $"The value of account tag '{key.Value}' has {tooLong.Length} characters: AWS tag values have at most 256, so it would match no account.";
            }

            if (problem is null)
            {
                tags.Add(new AccountTagCondition(key.Value, accepted));
            }
            else
            {
                values.Error(DiagnosticCodes.ConfigInvalidAccountTag, problem.StartsWith("Account tag key", StringComparison.Ordinal) ? key.Start : value.Start, problem);
            }
        }

        return tags;
    }
}
