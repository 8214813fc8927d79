using System.Text.RegularExpressions;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.Core.Yaml;
using PolicyEngine.JsonPath;
using PolicyEngine.Scripting;

namespace PolicyEngine.Core.Rules.Binding;

/// <summary>
/// The bind stage: turns one rule file's YAML tree into a <see cref="CompiledRule"/>, checking every key, type,
/// selector, regex, input reference and predicate, and reporting each problem at its line and column. It keeps
/// going after a problem so that a pack's mistakes are all reported in one run.
/// </summary>
internal sealed partial class RuleBinder
{
    /// <summary>Names conditions can use without declaring them.</summary>
    public static readonly IReadOnlyList<string> BuiltInInputs = ["subject", "account", "organization", "roles", "regions"];

    /// <summary>Placeholders a message format may use.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["account", "accountName", "region", "resource", "detail", "rule", "ouPath"];

    /// <summary>The longest 'matches' pattern, as in the JSONPath library's match().</summary>
    private const int MaxPatternLength = 8192;

    private static readonly string[] TopLevelKeys =
    [
        "id", "title", "message", "category", "severity", "enabledByDefault", "description", "remediation", "helpUri",
        "references", "extension", "differsFromSraVerify", "tags",
        "target", "resourceType", "operation", "scope", "inputs", "forEach", "where", "assert", "predicate",
    ];

    private static readonly string[] Operators =
    [
        "exists", "notEmpty", "equals", "notEquals", "in", "notIn", "matches", "count",
        "greaterThan", "greaterOrEqual", "lessThan", "lessOrEqual", "maxAgeHours",
    ];

    private readonly YamlValues _values;
    private readonly string _file;
    private readonly string _text;
    private readonly OperationCatalog _catalog;
    private readonly ScriptSandboxOptions _sandbox;

    public RuleBinder(string file, string text, OperationCatalog catalog, ScriptSandboxOptions sandbox, ICollection<Diagnostic> diagnostics)
    {
        _file = file;
        _text = text;
        _catalog = catalog;
        _sandbox = sandbox;
        _values = new YamlValues(diagnostics);
    }

    private ICollection<Diagnostic> Diagnostics => _values.Diagnostics;

    public CompiledRule? Bind(YamlNode root, string relativeFile)
    {
        var errorsBefore = Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        if (root is not YamlMapping rule)
        {
            _values.Error(DiagnosticCodes.WrongType, root.Start, $"A rule file holds one mapping (id, title, target, ...), but this holds {root.KindName}.");
            return null;
        }

        _values.CheckKeys(rule, "a rule", TopLevelKeys);
        var location = rule.Start;
        var id = _values.String(rule["id"], "id", true, location);
        if (id is not null && !RuleIdPattern().IsMatch(id))
        {
            _values.Error(DiagnosticCodes.InvalidRuleId, rule["id"]!.Start,
                $"Rule id '{id}' must look like SRA-GUARDDUTY-01: upper-case words joined by '-', ending in a number of at least two digits.");
        }

        var title = _values.String(rule["title"], "title", true, location);
        var message = _values.String(rule["message"], "message", true, location);
        if (message is not null)
        {
            CheckPlaceholders(message, rule["message"]!);
        }

        var category = _values.String(rule["category"], "category", true, location);
        var severityText = _values.String(rule["severity"], "severity", true, location);
        var severity = RuleSeverity.Medium;
        if (severityText is not null && !RuleSeverityNames.TryParse(severityText, out severity))
        {
            _values.Error(DiagnosticCodes.InvalidSeverity, rule["severity"]!.Start,
                $"Severity '{severityText}' is not one of {string.Join(", ", RuleSeverityNames.All)}." +
                (YamlValues.Closest(severityText, RuleSeverityNames.All) is { } s ? $" Did you mean '{s}'?" : string.Empty));
        }

        var references = _values.Mapping(rule["references"], "references");
        if (references is not null)
        {
            _values.CheckKeys(references, "references", ["sraVerify", "sraExamples", "links"]);
        }

        var helpUri = _values.String(rule["helpUri"], "helpUri", false, location);
        if (helpUri is not null && !(Uri.TryCreate(helpUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            _values.Error(DiagnosticCodes.InvalidValue, rule["helpUri"]!.Start, $"helpUri '{helpUri}' must be an absolute https:// link.");
        }

        var targetText = _values.String(rule["target"], "target", true, location);
        TargetKind? target = targetText switch
        {
            null => null,
            "organization" => TargetKind.Organization,
            "account" => TargetKind.Account,
            "account-region" => TargetKind.AccountRegion,
            "resource" => TargetKind.Resource,
            "evidence" => TargetKind.Evidence,
            _ => Invalid(rule["target"]!, targetText, ["organization", "account", "account-region", "resource", "evidence"]),
        };

        var resourceType = _values.String(rule["resourceType"], "resourceType", target == TargetKind.Resource, location);
        if (resourceType is not null && target != TargetKind.Resource)
        {
            _values.Error(DiagnosticCodes.ConflictingKeys, rule.KeyNode("resourceType")!.Start, "'resourceType' is only used with 'target: resource'. Remove it or change the target.");
        }

        OperationName? operation = null;
        var operationText = _values.String(rule["operation"], "operation", target == TargetKind.Evidence, location);
        if (operationText is not null)
        {
            operation = ParseOperation(operationText, rule["operation"]!);
            if (target != TargetKind.Evidence)
            {
                _values.Error(DiagnosticCodes.ConflictingKeys, rule.KeyNode("operation")!.Start, "'operation' is only used with 'target: evidence'. Declare evidence under 'inputs' instead.");
            }
        }

        var (scopeRoles, scopeRegions) = BindScope(rule["scope"]);
        var isRegional = target is TargetKind.AccountRegion || (target is TargetKind.Evidence && operation is not null &&
            _catalog.ScopeOf(operation) is null or CollectionScope.AccountRegion && !IsGlobalScope(rule["scope"]));
        var inputs = BindInputs(rule["inputs"], isRegional, rule["predicate"] is not null);
        var inputNames = new HashSet<string>(inputs.Select(i => i.Name).Concat(BuiltInInputs), StringComparer.Ordinal);

        ForEachDefinition? forEach = null;
        if (_values.Mapping(rule["forEach"], "forEach") is { } forEachNode)
        {
            forEach = BindForEach(forEachNode, inputs, inputNames);
        }

        var defaultInput = forEach is not null ? "subject" : inputs.Count > 0 ? inputs[0].Name : "subject";
        var where = rule["where"] is { } whereNode ? BindConditionList(whereNode, "where", defaultInput, inputNames) : null;
        var assert = rule["assert"] is { } assertNode ? BindConditionList(assertNode, "assert", defaultInput, inputNames) : null;

        CompiledPredicate? predicate = null;
        PredicateOrigin? predicateOrigin = null;
        if (rule["predicate"] is { } predicateNode)
        {
            (predicate, predicateOrigin) = BindPredicate(predicateNode, id ?? relativeFile, inputs);
        }

        if (rule["assert"] is null && rule["predicate"] is null)
        {
            _values.Error(DiagnosticCodes.MissingKey, location, "A rule needs an 'assert' (JSONPath conditions) or a 'predicate' (JavaScript).");
        }
        else if (rule["assert"] is not null && rule["predicate"] is not null)
        {
            _values.Error(DiagnosticCodes.ConflictingKeys, rule.KeyNode("predicate")!.Start,
                "A rule has either 'assert' or 'predicate', not both. Move the JSONPath conditions into 'where' or into the predicate.");
        }

        var descriptor = new RuleDescriptor
        {
            Id = id ?? string.Empty,
            Title = title ?? string.Empty,
            MessageFormat = message ?? string.Empty,
            Category = category ?? string.Empty,
            DefaultSeverity = severity,
            IsEnabledByDefault = _values.Bool(rule["enabledByDefault"], "enabledByDefault") ?? true,
            Description = (_values.String(rule["description"], "description", false, location) ?? string.Empty).Trim(),
            Remediation = (_values.String(rule["remediation"], "remediation", false, location) ?? string.Empty).Trim(),
            HelpUri = helpUri,
            SraVerifyCheck = references is null ? null : _values.String(references["sraVerify"], "sraVerify", false, location),
            SraExamplesSolution = references is null ? null : _values.String(references["sraExamples"], "sraExamples", false, location),
            Links = (references is null ? null : _values.StringList(references["links"], "links")) ?? [],
            Tags = _values.StringList(rule["tags"], "tags") ?? [],
            IsExtension = _values.Bool(rule["extension"], "extension") ?? false,
            DiffersFromSraVerify = _values.String(rule["differsFromSraVerify"], "differsFromSraVerify", false, location)?.Trim(),
            AccountScope = scopeRoles,
            Target = targetText ?? string.Empty,
            SourceFile = relativeFile,
        };

        if (Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore || target is null)
        {
            return null;
        }

        // Every binding failure must have reported a diagnostic; a rule whose assertion silently vanished would
        // produce no findings at all, which reads as compliance. Refuse it loudly instead.
        if ((rule["assert"] is not null && assert is null) || (rule["where"] is not null && where is null) ||
            (rule["predicate"] is not null && predicate is null))
        {
            _values.Error(DiagnosticCodes.InvalidCondition, location,
                "The rule's conditions could not be compiled, but no specific problem was reported; this is an engine bug, please report it with this rule.");
            return null;
        }

        return new CompiledRule
        {
            Descriptor = descriptor,
            Target = target.Value,
            ResourceType = resourceType,
            Operation = operation,
            OperationLocation = rule["operation"]?.Start,
            OperationIsGlobal = target == TargetKind.Evidence && !isRegional,
            ScopeRoles = scopeRoles,
            ScopeRegions = scopeRegions,
            Inputs = inputs,
            ForEach = forEach,
            Where = where,
            Assert = assert,
            Predicate = predicate,
            PredicateOrigin = predicateOrigin,
            Location = rule["id"]?.Start ?? location,
        };
    }

    private static bool IsGlobalScope(YamlNode? scope) =>
        scope is YamlMapping mapping && mapping["regions"] is YamlScalar { Value: "global" };

    private TargetKind? Invalid(YamlNode node, string text, IReadOnlyList<string> allowed)
    {
        _values.Error(DiagnosticCodes.InvalidValue, node.Start,
            $"'{text}' is not one of {string.Join(", ", allowed)}." +
            (YamlValues.Closest(text, allowed) is { } s ? $" Did you mean '{s}'?" : string.Empty));
        return null;
    }

    private void CheckPlaceholders(string format, YamlNode node)
    {
        foreach (Match match in PlaceholderPattern().Matches(format))
        {
            var name = match.Groups[1].Value;
            if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                _values.Error(DiagnosticCodes.UnknownPlaceholder, PlaceholderLocation(node, format, match.Index),
                    $"Message placeholder '{{{name}}}' is unknown;" +
                    (YamlValues.Closest(name, Placeholders) is { } closest ? $" did you mean '{{{closest}}}'?" : string.Empty) +
                    $" Use {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}.");
            }
        }
    }

    /// <summary>
    /// Points at the placeholder itself when the value is a one-line scalar whose text maps 1:1 onto the source (plain,
    /// or quoted without escapes); otherwise at the start of the value.
    /// </summary>
    private static SourceLocation PlaceholderLocation(YamlNode node, string format, int index)
    {
        var start = node.Start;
        if (node is not YamlScalar { IsBlock: false } scalar || format.Contains('\n', StringComparison.Ordinal) ||
            (!scalar.IsPlain && format.AsSpan().IndexOfAny('"', '\\', '\'') >= 0))
        {
            return start;
        }

        return start with { Column = start.Column + (scalar.IsPlain ? 0 : 1) + index };
    }

    private OperationName? ParseOperation(string text, YamlNode node)
    {
        if (!OperationName.TryParse(text, out var operation))
        {
            _values.Error(DiagnosticCodes.InvalidValue, node.Start,
                $"Operation '{text}' must be written service:Operation, e.g. guardduty:ListDetectors.");
            return null;
        }

        if (!_catalog.Contains(operation!))
        {
            var suggestion = YamlValues.Closest(text, _catalog.Operations.Select(o => o.ToString()));
            _values.Error(DiagnosticCodes.UnknownOperation, node.Start,
                $"Operation '{text}' is not in the collection plan, so no snapshot can hold its evidence." +
                (suggestion is null ? " Add it to collectors/ or fix the name." : $" Did you mean '{suggestion}'?"));
            return null;
        }

        return operation;
    }

    private (IReadOnlyList<string> Roles, IReadOnlyList<string> Regions) BindScope(YamlNode? node)
    {
        var scope = _values.Mapping(node, "scope");
        if (scope is null)
        {
            return ([], []);
        }

        _values.CheckKeys(scope, "scope", ["roles", "regions"]);
        var roles = _values.StringList(scope["roles"], "roles") ?? [];
        foreach (var role in roles.Where(r => !SraRoles.IsRole(r)))
        {
            _values.Error(DiagnosticCodes.InvalidValue, scope["roles"]!.Start,
                $"'{role}' is not an SRA account role; use {string.Join(", ", SraRoles.All)}, or leave out 'roles' for every account.");
        }

        var regions = _values.StringList(scope["regions"], "regions") ?? [];
        return (roles, regions);
    }

    private List<InputDefinition> BindInputs(YamlNode? node, bool isRegional, bool hasPredicate)
    {
        var inputs = new List<InputDefinition>();
        var mapping = _values.Mapping(node, "inputs");
        if (mapping is null)
        {
            return inputs;
        }

        foreach (var (keyNode, value) in mapping.Entries)
        {
            var name = keyNode.Value;
            if (!InputNamePattern().IsMatch(name) || BuiltInInputs.Contains(name, StringComparer.Ordinal))
            {
                _values.Error(DiagnosticCodes.InvalidValue, keyNode.Start,
                    $"Input name '{name}' must be a camelCase identifier and not one of the built-ins ({string.Join(", ", BuiltInInputs)}).");
                continue;
            }

            if (value is YamlScalar { IsNull: false } shorthand)
            {
                if (ParseOperation(shorthand.Value, shorthand) is { } op)
                {
                    inputs.Add(new InputDefinition
                    {
                        Name = name, Operation = op, Region = DefaultRegion(op, isRegional), Location = keyNode.Start,
                    });
                }

                continue;
            }

            if (_values.Mapping(value, name) is not { } input)
            {
                continue;
            }

            _values.CheckKeys(input, $"input '{name}'", ["operation", "account", "region", "parameters", "required", "errors"]);
            var operationText = _values.String(input["operation"], "operation", true, input.Start);
            var operation = operationText is null ? null : ParseOperation(operationText, input["operation"]!);
            var account = _values.String(input["account"], "account", false, input.Start) ?? "subject";
            if (account != "subject" && !SraRoles.IsRole(account) && !AccountIdPattern().IsMatch(account))
            {
                _values.Error(DiagnosticCodes.InvalidValue, input["account"]!.Start,
                    $"Input account '{account}' must be 'subject', an SRA role ({string.Join(", ", SraRoles.All)}) or a 12-digit account id.");
            }

            var region = _values.String(input["region"], "region", false, input.Start);
            if (region == "subject" && !isRegional)
            {
                _values.Error(DiagnosticCodes.ConflictingKeys, input["region"]!.Start,
                    "region: subject needs a regional target (account-region, or evidence of a regional operation); use region: governed to read every governed region from a predicate.");
            }

            if (region == "governed" && !hasPredicate)
            {
                _values.Error(DiagnosticCodes.ConflictingKeys, input["region"]!.Start,
                    "region: governed is read region by region with ctx.evidence(name, { region }), so it needs a 'predicate'.");
            }

            var parameters = new List<ParameterBinding>();
            if (_values.Mapping(input["parameters"], "parameters") is { } parameterMap)
            {
                foreach (var (parameterKey, parameterValue) in parameterMap.Entries)
                {
                    if (parameterValue is YamlScalar { IsNull: false } literal)
                    {
                        parameters.Add(new ParameterBinding(parameterKey.Value, literal.Value, null));
                    }
                    else if (parameterValue is YamlMapping selected && selected["path"] is { } pathNode && selected.Entries.Count == 1)
                    {
                        if (ParseSelector(pathNode, "path") is { } query)
                        {
                            parameters.Add(new ParameterBinding(parameterKey.Value, null, query));
                        }
                    }
                    else
                    {
                        _values.Error(DiagnosticCodes.WrongType, parameterValue.Start,
                            $"Parameter '{parameterKey.Value}' must be a string, or {{ path: <selector over the subject> }}.");
                    }
                }
            }

            var errors = new Dictionary<string, Outcome>(StringComparer.Ordinal);
            var errorMessages = new Dictionary<string, string>(StringComparer.Ordinal);
            if (_values.Mapping(input["errors"], "errors") is { } errorMap)
            {
                foreach (var (codeNode, outcomeNode) in errorMap.Entries)
                {
                    // Either `Code: outcome`, or `Code: { outcome, messageContains }` when the code alone is ambiguous
                    // (Macie says "Macie is not enabled" as an AccessDeniedException, like a missing permission).
                    var outcomeValue = outcomeNode;
                    if (outcomeNode is YamlMapping detailed)
                    {
                        _values.CheckKeys(detailed, $"the mapping of error code '{codeNode.Value}'", ["outcome", "messageContains"]);
                        outcomeValue = detailed["outcome"];
                        if (outcomeValue is null)
                        {
                            _values.Error(DiagnosticCodes.MissingKey, detailed.Start,
                                $"The mapping of error code '{codeNode.Value}' needs 'outcome' (pass, fail, notApplicable or insufficientData).");
                            continue;
                        }

                        if (detailed["messageContains"] is { } messageNode)
                        {
                            var text = _values.String(messageNode, "messageContains", true, messageNode.Start);
                            if (string.IsNullOrEmpty(text))
                            {
                                _values.Error(DiagnosticCodes.InvalidValue, messageNode.Start,
                                    "messageContains must be non-empty text that the AWS error message contains, e.g. 'Macie is not enabled'.");
                                continue;
                            }

                            errorMessages[codeNode.Value] = text;
                        }
                    }

                    var outcomeText = _values.String(outcomeValue, codeNode.Value, true, codeNode.Start);
                    if (outcomeText is null)
                    {
                        continue;
                    }

                    if (ModelNames.TryParseOutcome(outcomeText, out var outcome) && outcome != Outcome.Error)
                    {
                        errors[codeNode.Value] = outcome;
                    }
                    else
                    {
                        _values.Error(DiagnosticCodes.InvalidValue, outcomeValue!.Start,
                            $"'{outcomeText}' is not an outcome an error code can map to; use pass, fail, notApplicable or insufficientData.");
                    }
                }
            }

            // Read every key before giving up on the input, so all of its mistakes are reported in one run.
            var required = _values.Bool(input["required"], "required") ?? true;
            if (operation is null)
            {
                continue;
            }

            inputs.Add(new InputDefinition
            {
                Name = name,
                Operation = operation,
                Account = account,
                Region = region ?? DefaultRegion(operation, isRegional),
                Parameters = parameters,
                Required = required,
                ErrorOutcomes = errors,
                ErrorMessages = errorMessages,
                Location = keyNode.Start,
            });
        }

        return inputs;
    }

    private string DefaultRegion(OperationName operation, bool isRegional) =>
        _catalog.ScopeOf(operation) switch
        {
            CollectionScope.Organization or CollectionScope.Account => "global",
            _ => isRegional ? "subject" : "global",
        };

    private ForEachDefinition? BindForEach(YamlMapping node, List<InputDefinition> inputs, HashSet<string> inputNames)
    {
        _values.CheckKeys(node, "forEach", ["input", "path", "ifEmpty", "ifEmptyMessage", "id"]);
        var input = _values.String(node["input"], "input", false, node.Start) ?? (inputs.Count > 0 ? inputs[0].Name : "subject");
        if (!inputNames.Contains(input))
        {
            UnknownInput(node["input"]!, input, inputNames);
        }

        var path = _values.String(node["path"], "path", true, node.Start) is not null ? ParseSelector(node["path"]!, "path") : null;
        var ifEmpty = Outcome.NotApplicable;
        if (_values.String(node["ifEmpty"], "ifEmpty", false, node.Start) is { } ifEmptyText &&
            !(ModelNames.TryParseOutcome(ifEmptyText, out ifEmpty) && ifEmpty is Outcome.Fail or Outcome.NotApplicable or Outcome.Pass))
        {
            _values.Error(DiagnosticCodes.InvalidValue, node["ifEmpty"]!.Start, $"ifEmpty '{ifEmptyText}' must be fail, notApplicable or pass.");
        }

        var id = node["id"] is { } idNode ? ParseSelector(idNode, "id") : null;
        return path is null ? null : new ForEachDefinition
        {
            Input = input,
            Path = path,
            IfEmpty = ifEmpty,
            IfEmptyMessage = _values.String(node["ifEmptyMessage"], "ifEmptyMessage", false, node.Start),
            Id = id,
        };
    }

    private void UnknownInput(YamlNode node, string input, IEnumerable<string> known) =>
        _values.Error(DiagnosticCodes.UnknownInput, node.Start,
            $"Input '{input}' is not declared. Declare it under 'inputs', or use one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");

    private Condition? BindConditionList(YamlNode node, string key, string defaultInput, HashSet<string> inputNames)
    {
        if (node is YamlSequence sequence)
        {
            var items = sequence.Items.Select(i => BindCondition(i, defaultInput, inputNames)).ToList();
            return items.Any(i => i is null) ? null : new AllCondition(items!) { Location = node.Start };
        }

        if (node is YamlMapping)
        {
            return BindCondition(node, defaultInput, inputNames);
        }

        _values.Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a condition or a list of conditions, but it is {node.KindName}.");
        return null;
    }

    private Condition? BindCondition(YamlNode node, string defaultInput, HashSet<string> inputNames)
    {
        if (node is not YamlMapping condition)
        {
            _values.Error(DiagnosticCodes.WrongType, node.Start, $"A condition is a mapping, but this is {node.KindName}.");
            return null;
        }

        var message = _values.String(condition["message"], "message", false, condition.Start);
        foreach (var combinator in new[] { "all", "any" })
        {
            if (condition[combinator] is { } list)
            {
                _values.CheckKeys(condition, $"an '{combinator}' condition", [combinator, "message"]);
                if (list is not YamlSequence sequence || sequence.Items.Count == 0)
                {
                    _values.Error(DiagnosticCodes.WrongType, list.Start, $"'{combinator}' takes a non-empty list of conditions.");
                    return null;
                }

                var items = sequence.Items.Select(i => BindCondition(i, defaultInput, inputNames)).ToList();
                if (items.Any(i => i is null))
                {
                    return null;
                }

                return combinator == "all"
                    ? new AllCondition(items!) { Location = condition.Start, Message = message }
                    : new AnyCondition(items!) { Location = condition.Start, Message = message };
            }
        }

        if (condition["not"] is { } negated)
        {
            _values.CheckKeys(condition, "a 'not' condition", ["not", "message"]);
            var inner = BindCondition(negated, defaultInput, inputNames);
            return inner is null ? null : new NotCondition(inner) { Location = condition.Start, Message = message };
        }

        _values.CheckKeys(condition, "a condition", ["input", "path", "quantifier", "message", .. Operators]);
        var input = _values.String(condition["input"], "input", false, condition.Start) ?? defaultInput;
        if (!inputNames.Contains(input))
        {
            UnknownInput(condition["input"]!, input, inputNames);
        }

        var pathText = _values.String(condition["path"], "path", true, condition.Start);
        var path = pathText is null ? null : ParseSelector(condition["path"]!, "path");
        var quantifier = Quantifier.All;
        if (_values.String(condition["quantifier"], "quantifier", false, condition.Start) is { } quantifierText)
        {
            if (quantifierText is "any")
            {
                quantifier = Quantifier.Any;
            }
            else if (quantifierText is not "all")
            {
                _values.Error(DiagnosticCodes.InvalidValue, condition["quantifier"]!.Start, $"quantifier '{quantifierText}' must be all or any.");
            }
        }

        var operators = condition.Entries.Where(e => Operators.Contains(e.Key.Value, StringComparer.Ordinal)).ToList();
        if (operators.Count != 1)
        {
            _values.Error(DiagnosticCodes.InvalidCondition, condition.Start,
                operators.Count == 0
                    ? $"This condition has no test. Add exactly one of: {string.Join(", ", Operators)}."
                    : $"This condition has {operators.Count} tests ({string.Join(", ", operators.Select(o => o.Key.Value))}); write one test per condition and combine them with 'all' or 'any'.");
            return null;
        }

        var test = BindTest(operators[0].Key, operators[0].Value, inputNames);
        if (test is null || path is null)
        {
            return null;
        }

        return new PathCondition { Input = input, Path = path, Quantifier = quantifier, Test = test, Message = message, Location = condition.Start };
    }

    private ConditionTest? BindTest(YamlScalar key, YamlNode value, HashSet<string> inputNames)
    {
        switch (key.Value)
        {
            case "exists":
                return _values.Bool(value, "exists") is { } exists ? new ExistsTest(exists) : null;
            case "notEmpty":
                if (_values.Bool(value, "notEmpty") is { } notEmpty)
                {
                    if (!notEmpty)
                    {
                        _values.Error(DiagnosticCodes.InvalidValue, value.Start, "notEmpty only takes 'true'; to require absence write 'exists: false'.");
                        return null;
                    }

                    return new NotEmptyTest();
                }

                return null;
            case "equals" or "notEquals":
                return BindValueSource(value, key.Value, single: true, inputNames) is { } expected
                    ? new EqualsTest(expected, key.Value == "notEquals")
                    : null;
            case "in" or "notIn":
                return BindValueSource(value, key.Value, single: false, inputNames) is { } allowed
                    ? new InTest(allowed, key.Value == "notIn")
                    : null;
            case "matches":
                var pattern = _values.String(value, "matches", true, key.Start);
                if (pattern is null)
                {
                    return null;
                }

                if (pattern.Length > MaxPatternLength)
                {
                    // Building the matcher costs more than linear time in the pattern's length.
                    _values.Error(DiagnosticCodes.InvalidRegex, value.Start,
                        $"Regular expression /{DiagnosticText.Shorten(pattern)}/ is longer than the limit of {MaxPatternLength} characters. Shorten it, or split it into several conditions under 'any'.");
                    return null;
                }

                try
                {
                    // Non-backtracking: a rule pack is untrusted, and its regexes must not run forever.
                    var regex = new Regex("^(?:" + pattern + ")$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    return new MatchesTest(regex, pattern);
                }
                catch (ArgumentException ex)
                {
                    _values.Error(DiagnosticCodes.InvalidRegex, value.Start, $"Regular expression /{pattern}/ is invalid: {ex.Message}");
                    return null;
                }
                catch (NotSupportedException)
                {
                    // The non-backtracking engine refuses constructs that need backtracking, and automata past its size limit.
                    _values.Error(
                        DiagnosticCodes.InvalidRegex,
                        value.Start,
                        $"Regular expression /{DiagnosticText.Shorten(pattern)}/ cannot be matched in linear time: lookarounds ((?=...), (?!...), (?<=...), (?<!...)), backreferences (\\1, \\k<name>), atomic groups ((?>...)) and very large counted repetitions are not supported. Rewrite it without them, or test the value with a predicate.");
                    return null;
                }

            case "count":
                if (value is YamlMapping range)
                {
                    _values.CheckKeys(range, "count", ["min", "max"]);
                    var min = _values.Int(range["min"], "min");
                    var max = _values.Int(range["max"], "max");
                    if (min is null && max is null)
                    {
                        _values.Error(DiagnosticCodes.InvalidCondition, range.Start, "count needs 'min', 'max' or both, or a single number for an exact count.");
                        return null;
                    }

                    return new CountTest(min, max);
                }

                return _values.Int(value, "count") is { } exact ? new CountTest(exact, exact) : null;
            case "maxAgeHours":
                if (_values.Number(value, "maxAgeHours") is not { } hours)
                {
                    return null;
                }

                if (hours <= 0)
                {
                    _values.Error(DiagnosticCodes.InvalidValue, value.Start, $"maxAgeHours must be a positive number of hours, not {hours.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
                    return null;
                }

                return new MaxAgeTest(TimeSpan.FromHours(hours));
            default:
                var op = key.Value switch
                {
                    "greaterThan" => ">",
                    "greaterOrEqual" => ">=",
                    "lessThan" => "<",
                    _ => "<=",
                };
                return _values.Number(value, key.Value) is { } operand ? new CompareTest(op, operand) : null;
        }
    }

    private ValueSource? BindValueSource(YamlNode value, string key, bool single, HashSet<string> inputNames)
    {
        if (value is YamlMapping mapping && (mapping["path"] is not null || mapping["role"] is not null ||
                                             mapping["roles"] is not null || mapping["value"] is not null ||
                                             mapping["subjectAccount"] is not null || mapping["subjectRegion"] is not null))
        {
            _values.CheckKeys(mapping, $"the value of '{key}'", ["input", "path", "role", "roles", "value", "subjectAccount", "subjectRegion"]);
            if (mapping["value"] is { } literal)
            {
                return new LiteralValues([YamlValues.ToJson(literal)]);
            }

            if (mapping["subjectAccount"] is { } subjectAccount)
            {
                switch (_values.Bool(subjectAccount, "subjectAccount"))
                {
                    case true:
                        return new SubjectAccount();
                    case false:
                        _values.Error(DiagnosticCodes.InvalidValue, subjectAccount.Start, "subjectAccount only takes 'true'; leave it out to compare with something else.");
                        return null;
                    default:
                        return null;
                }
            }

            if (mapping["subjectRegion"] is { } subjectRegion)
            {
                switch (_values.Bool(subjectRegion, "subjectRegion"))
                {
                    case true:
                        return new SubjectRegion();
                    case false:
                        _values.Error(DiagnosticCodes.InvalidValue, subjectRegion.Start, "subjectRegion only takes 'true'; leave it out to compare with something else.");
                        return null;
                    default:
                        return null;
                }
            }

            if (mapping["role"] is not null || mapping["roles"] is not null)
            {
                var roles = _values.StringList(mapping["role"] ?? mapping["roles"], "roles") ?? [];
                foreach (var role in roles.Where(r => !SraRoles.IsRole(r)))
                {
                    _values.Error(DiagnosticCodes.InvalidValue, (mapping["role"] ?? mapping["roles"])!.Start,
                        $"'{role}' is not an SRA account role; use {string.Join(", ", SraRoles.All)}.");
                    return null;
                }

                return new RoleAccounts(roles);
            }

            var input = _values.String(mapping["input"], "input", true, mapping.Start);
            if (input is not null && !inputNames.Contains(input))
            {
                UnknownInput(mapping["input"]!, input, inputNames);
                return null;
            }

            var path = ParseSelector(mapping["path"]!, "path");
            return input is null || path is null ? null : new SelectedValues(input, path);
        }

        if (single)
        {
            return new LiteralValues([YamlValues.ToJson(value)]);
        }

        if (value is YamlSequence sequence)
        {
            return new LiteralValues(sequence.Items.Select(YamlValues.ToJson).ToArray());
        }

        _values.Error(DiagnosticCodes.WrongType, value.Start,
            $"'{key}' takes a list of values, or {{ input, path }}, or {{ role: <SRA role> }}; this is {value.KindName}.");
        return null;
    }

    private JsonPathQuery? ParseSelector(YamlNode node, string key)
    {
        if (node is not YamlScalar { IsNull: false } scalar)
        {
            _values.Error(DiagnosticCodes.WrongType, node.Start, $"'{key}' must be a JSONPath string such as \"$.DetectorIds\", but it is {node.KindName}.");
            return null;
        }

        if (JsonPathQuery.TryParse(scalar.Value, out var query, out var error))
        {
            return query;
        }

        // Point at the offending character: quoted scalars start one column after their opening quote.
        var offset = scalar.IsPlain ? 0 : 1;
        var location = scalar.Start with { Column = scalar.Start.Column + offset + error.Position };
        _values.Error(DiagnosticCodes.InvalidSelector, location,
            $"JSONPath '{scalar.Value}' does not parse at character {error.Position + 1}: {error.Message}");
        return null;
    }

    private (CompiledPredicate? Predicate, PredicateOrigin? Origin) BindPredicate(YamlNode node, string ruleId, List<InputDefinition> inputs)
    {
        if (node is not YamlScalar { IsNull: false } scalar)
        {
            _values.Error(DiagnosticCodes.WrongType, node.Start, $"'predicate' must be a string (use a '|' block), but it is {node.KindName}.");
            return (null, null);
        }

        var origin = PredicateOriginOf(scalar);
        var compilation = PredicateCompiler.Compile(scalar.Value, $"{_file}#{ruleId}", _sandbox);
        foreach (var problem in compilation.Diagnostics)
        {
            _values.Error(problem.Code, problem.Line <= 0 ? scalar.Start : origin.Map(problem.Line, problem.Column), problem.Message);
        }

        if (compilation.Predicate is { } predicate)
        {
            CheckPredicate(predicate, origin, inputs.Select(i => i.Name).ToList());
        }

        return (compilation.Predicate, origin);
    }

    /// <summary>Reports what static analysis finds in a predicate (PE2104-PE2106), each at its place in the YAML file.</summary>
    private void CheckPredicate(CompiledPredicate predicate, PredicateOrigin origin, List<string> declared)
    {
        foreach (var issue in PredicateAnalyzer.Analyze(predicate, declared))
        {
            var at = origin.Map(issue.Line, issue.Column);
            var name = DiagnosticText.Shorten(issue.Name);
            switch (issue.Kind)
            {
                case PredicateIssueKind.UnknownContextMember:
                    _values.Error(DiagnosticCodes.UnknownContextMember, at,
                        $"ctx has no member '{name}', so 'ctx.{name}' is always undefined."
                        + (YamlValues.Closest(issue.Name, PredicateAnalyzer.ContextMembers) is { } member ? $" Did you mean 'ctx.{member}'?" : string.Empty)
                        + $" ctx has: {string.Join(", ", PredicateAnalyzer.ContextMembers)}.");
                    break;
                case PredicateIssueKind.UndeclaredInput:
                    // The built-in inputs of conditions are ctx members in predicates (regions is ctx.governedRegions).
                    var builtIn = BuiltInInputs.Contains(issue.Name);
                    var contextMember = issue.Name == "regions" ? "governedRegions" : issue.Name;
                    _values.Error(DiagnosticCodes.UndeclaredPredicateInput, at,
                        $"Input '{name}' is not declared by this rule, so the predicate never gets it."
                        + (builtIn ? $" '{issue.Name}' is not an input of predicates: read ctx.{contextMember}."
                            : YamlValues.Closest(issue.Name, declared) is { } input ? $" Did you mean '{input}'?" : string.Empty)
                        + (declared.Count == 0 ? " The rule declares no inputs: add it under 'inputs'."
                            : $" Declare it under 'inputs', or use one of: {string.Join(", ", declared.Order(StringComparer.Ordinal))}."));
                    break;
                case PredicateIssueKind.NoReturn:
                    _values.Diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.PredicateNeverReturns, at, issue.InCallback
                        ? "This 'return' is inside a callback: it ends the callback, not the predicate, and the predicate itself has no 'return', so every call returns undefined (PE3104). "
                          + "Use a for...of loop, or compute the result with some/every/find and return it from the predicate."
                        : "The predicate has no 'return', so every call returns undefined (PE3104). End it with 'return true/false' or 'return { pass, message }'."));
                    break;
            }
        }
    }

    /// <summary>
    /// Where a predicate's text starts in the YAML file. A block scalar's content starts on the line after its
    /// indicator, indented; a flow scalar's content starts at the scalar (after its quote, if quoted).
    /// </summary>
    private PredicateOrigin PredicateOriginOf(YamlScalar scalar)
    {
        if (scalar.IsBlock)
        {
            var lines = _text.Split('\n');
            var firstContentLine = scalar.Start.Line + 1;
            // Blank lines before the content do not carry the indentation; find the first non-blank one.
            var indent = 0;
            for (var i = firstContentLine - 1; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length > 0)
                {
                    indent = lines[i].Length - lines[i].TrimStart(' ').Length;
                    break;
                }
            }

            return new PredicateOrigin(_file, firstContentLine, indent + 1, IsBlock: true);
        }

        var quote = scalar.IsPlain ? 0 : 1;
        return new PredicateOrigin(_file, scalar.Start.Line, scalar.Start.Column + quote, IsBlock: false);
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{2,}$")]
    private static partial Regex RuleIdPattern();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex InputNamePattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PlaceholderPattern();
}
