using System.Globalization;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Binding;
using PolicyEngine.Core.Yaml;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Configuration;

/// <summary>Per-rule or per-category settings.</summary>
/// <param name="Severity">Overrides the default severity.</param>
/// <param name="Enabled">Overrides enabled-by-default.</param>
public sealed record RuleSettings(RuleSeverity? Severity, bool? Enabled);

/// <summary>Accepts findings that match, for a stated reason.</summary>
public sealed record Suppression
{
    /// <summary>The rule id.</summary>
    public required string Rule { get; init; }

    /// <summary>Accounts it applies to (empty: all).</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Regions it applies to (empty: all).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Resources it applies to (empty: all).</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Why the finding is accepted. Required: a suppression without a reason is a diagnostic.</summary>
    public required string Justification { get; init; }

    /// <summary>After this date the suppression no longer applies.</summary>
    public DateOnly? Expires { get; init; }

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>True when the suppression covers the finding.</summary>
    public bool Matches(Finding finding, DateOnly today) =>
        string.Equals(finding.Rule.Id, Rule, StringComparison.Ordinal) &&
        (Accounts.Count == 0 || Accounts.Contains(finding.Subject.Account ?? string.Empty, StringComparer.Ordinal)) &&
        (Regions.Count == 0 || Regions.Contains(finding.Subject.Region ?? string.Empty, StringComparer.Ordinal)) &&
        (Resources.Count == 0 || Resources.Contains(finding.Subject.Resource ?? string.Empty, StringComparer.Ordinal)) &&
        (Expires is null || today <= Expires);
}

/// <summary>
/// Policy configuration: severity is configuration, and suppressions carry a justification. The effective severity
/// of a rule is resolved in one place, <see cref="EffectiveSeverity"/>, with this precedence:
/// <list type="number">
/// <item><description>the rule's own entry under <c>rules:</c>;</description></item>
/// <item><description>its category's entry under <c>categories:</c>;</description></item>
/// <item><description>the rule's default severity.</description></item>
/// </list>
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

    /// <summary>The severity a rule's findings carry.</summary>
    public RuleSeverity EffectiveSeverity(RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Rules.GetValueOrDefault(rule.Id)?.Severity ?? Categories.GetValueOrDefault(rule.Category)?.Severity ?? rule.DefaultSeverity;
    }

    /// <summary>Whether a rule runs (same precedence as severity).</summary>
    public bool IsEnabled(RuleDescriptor rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Rules.GetValueOrDefault(rule.Id)?.Enabled ?? Categories.GetValueOrDefault(rule.Category)?.Enabled ?? rule.IsEnabledByDefault;
    }

    /// <summary>The first suppression that covers a finding.</summary>
    public Suppression? FindSuppression(Finding finding, DateOnly today) => Suppressions.FirstOrDefault(s => s.Matches(finding, today));

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

                    values.CheckKeys(entry, "a suppression", ["rule", "accounts", "regions", "resources", "justification", "expires"]);
                    var rule = values.String(entry["rule"], "rule", true, entry.Start);
                    var justification = values.String(entry["justification"], "justification", false, entry.Start);
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
                        Resources = values.StringList(entry["resources"], "resources") ?? [],
                        Justification = justification.Trim(),
                        Expires = expires,
                        Location = entry.Start,
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
            values.CheckKeys(entry, $"'{name.Value}'", ["severity", "enabled"]);
            RuleSeverity? severity = null;
            if (values.String(entry["severity"], "severity", false, entry.Start) is { } text)
            {
                if (RuleSeverityNames.TryParse(text, out var parsed))
                {
                    severity = parsed;
                }
                else
                {
                    values.Error(DiagnosticCodes.ConfigInvalid, entry["severity"]!.Start,
                        $"Severity '{text}' is not one of {string.Join(", ", RuleSeverityNames.All)}.");
                }
            }

            settings[name.Value] = new RuleSettings(severity, values.Bool(entry["enabled"], "enabled"));
        }

        return settings;
    }
}
