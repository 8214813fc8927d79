namespace PolicyEngine.Core.Diagnostics;

/// <summary>
/// Every diagnostic code the engine can report. Codes are stable: once shipped, a code keeps its meaning.
/// Ranges: PE0xxx YAML, PE1xxx rule binding and compilation, PE2xxx JavaScript predicates (compile time),
/// PE3xxx evaluation errors, PE4xxx snapshots, PE5xxx policy configuration, PE6xxx rule tests, PE7xxx contributor
/// tools, PE9xxx reports, baselines and diffs. (PE8xxx, the collection plan, are reported by the plan loader: PolicyEngine.Aws.Plan.PlanDiagnosticCodes;
/// PE91xx, sharded runs and merge: PolicyEngine.Core.Sharding.ShardDiagnosticCodes.)
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The file is not well-formed YAML.</summary>
    public const string YamlSyntax = "PE0001";

    /// <summary>Anchors and aliases are refused: they allow exponential expansion (billion laughs).</summary>
    public const string YamlAlias = "PE0002";

    /// <summary>The file is too large or too deeply nested to be a rule.</summary>
    public const string YamlTooLarge = "PE0003";

    /// <summary>A mapping repeats a key.</summary>
    public const string YamlDuplicateKey = "PE0004";

    /// <summary>A file holds more than one YAML document.</summary>
    public const string YamlMultipleDocuments = "PE0005";

    /// <summary>A key the rule format does not define.</summary>
    public const string UnknownKey = "PE1001";

    /// <summary>A value has the wrong type.</summary>
    public const string WrongType = "PE1002";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "PE1003";

    /// <summary>Two rules share an id.</summary>
    public const string DuplicateRuleId = "PE1004";

    /// <summary>A severity is not one of critical, high, medium, low, informational.</summary>
    public const string InvalidSeverity = "PE1005";

    /// <summary>A rule id does not have the form PREFIX-NAME-NN.</summary>
    public const string InvalidRuleId = "PE1006";

    /// <summary>A value is not one of the allowed words (target, role, outcome...).</summary>
    public const string InvalidValue = "PE1007";

    /// <summary>A JSONPath selector does not parse under RFC 9535.</summary>
    public const string InvalidSelector = "PE1008";

    /// <summary>An operation is not in the collection plan, so no snapshot can hold its evidence.</summary>
    public const string UnknownOperation = "PE1009";

    /// <summary>A regular expression does not parse.</summary>
    public const string InvalidRegex = "PE1010";

    /// <summary>A condition names an input the rule does not declare.</summary>
    public const string UnknownInput = "PE1011";

    /// <summary>A condition has no operator, or more than one.</summary>
    public const string InvalidCondition = "PE1012";

    /// <summary>Keys that cannot be used together, or a key that needs another.</summary>
    public const string ConflictingKeys = "PE1013";

    /// <summary>A message format names a placeholder the engine does not know.</summary>
    public const string UnknownPlaceholder = "PE1014";

    /// <summary>No rule files were found where rules were expected.</summary>
    public const string NoRules = "PE1015";

    /// <summary>A rule file cannot be read.</summary>
    public const string UnreadableFile = "PE1016";

    /// <summary>A rule test case file is invalid.</summary>
    public const string InvalidTestCase = "PE1017";

    /// <summary>A rule reads evidence in accounts or regions where the collection plan does not collect it (warning).</summary>
    public const string EvidenceNotCollected = "PE1040";

    /// <summary>A numeric comparison reads a member the collector records as text (an XML response of a plan file without a service model; warning).</summary>
    public const string NumberRecordedAsText = "PE1041";

    /// <summary>A JavaScript predicate has a syntax error.</summary>
    public const string ScriptSyntax = "PE2101";

    /// <summary>A JavaScript predicate is longer than the sandbox allows.</summary>
    public const string ScriptTooLong = "PE2102";

    /// <summary>The sandbox options are out of their allowed ranges.</summary>
    public const string InvalidSandboxOptions = "PE2103";

    /// <summary>A predicate reads a member that <c>ctx</c> does not have, e.g. <c>ctx.input</c> (it is always undefined).</summary>
    public const string UnknownContextMember = "PE2104";

    /// <summary>A predicate reads <c>ctx.inputs.NAME</c> or calls <c>ctx.evidence('NAME')</c> for an input its rule does not declare.</summary>
    public const string UndeclaredPredicateInput = "PE2105";

    /// <summary>A predicate has no <c>return</c> of its own (only inside callbacks, or none): every call returns undefined (warning).</summary>
    public const string PredicateNeverReturns = "PE2106";

    /// <summary>Evaluating a rule threw: a bug in the engine, reported as an Error outcome.</summary>
    public const string EvaluationFailed = "PE3001";

    /// <summary>A regular expression timed out while matching.</summary>
    public const string RegexTimeout = "PE3002";

    /// <summary><c>evaluate --explain</c> names a rule the pack does not have.</summary>
    public const string UnknownExplainRule = "PE3010";

    /// <summary><c>evaluate --explain --subject</c> matches none of the rule's subjects.</summary>
    public const string UnknownExplainSubject = "PE3011";

    /// <summary>The snapshot is not valid JSON.</summary>
    public const string SnapshotSyntax = "PE4001";

    /// <summary>The snapshot's format version is not supported.</summary>
    public const string SnapshotVersion = "PE4002";

    /// <summary>A snapshot section has the wrong shape.</summary>
    public const string SnapshotShape = "PE4003";

    /// <summary>The snapshot file cannot be read.</summary>
    public const string SnapshotUnreadable = "PE4004";

    /// <summary>Two evidence records share a key.</summary>
    public const string SnapshotDuplicateEvidence = "PE4005";

    /// <summary>A snapshot string is not valid Unicode: bytes that are not UTF-8, or an unpaired escaped surrogate.</summary>
    public const string SnapshotInvalidText = "PE4025";

    /// <summary>merge: two snapshots hold different records for one evidence key.</summary>
    public const string SnapshotMergeEvidenceConflict = "PE4040";

    /// <summary>merge: two snapshots hold different configuration items for one resource and capture time.</summary>
    public const string SnapshotMergeResourceConflict = "PE4041";

    /// <summary>merge: two snapshots disagree on the partition, organization, a role assignment or an account's enabled regions.</summary>
    public const string SnapshotMergeSectionConflict = "PE4042";

    /// <summary>A policy configuration value is invalid.</summary>
    public const string ConfigInvalid = "PE5001";

    /// <summary>A suppression has no justification.</summary>
    public const string ConfigSuppressionWithoutJustification = "PE5002";

    /// <summary>A configuration names a rule the pack does not have.</summary>
    public const string ConfigUnknownRule = "PE5003";

    /// <summary>A configuration names a category no rule of the pack has.</summary>
    public const string ConfigUnknownCategory = "PE5004";

    /// <summary>A test case names a fixture that no fixture directory holds, or a fixture file that does not exist.</summary>
    public const string UnknownFixture = "PE6001";

    /// <summary>A test file names a rule that the rules under test do not have.</summary>
    public const string TestUnknownRule = "PE6002";

    /// <summary>Two cases of one rule share a name.</summary>
    public const string DuplicateTestCase = "PE6003";

    /// <summary>No rule test files (*.tests.yaml) were found under the paths given.</summary>
    public const string NoTestFiles = "PE6004";

    /// <summary>A fixture directory does not exist, or a fixture is not a JSON object.</summary>
    public const string FixtureUnreadable = "PE6005";

    /// <summary>The test filter matched no test case.</summary>
    public const string FilterMatchesNothing = "PE6006";

    /// <summary>A case's snapshot (its fixture after the case's changes) is not a valid snapshot.</summary>
    public const string InvalidCaseSnapshot = "PE6007";

    /// <summary><c>sample-evidence</c> cannot generate records: unknown operation, account or region, or an unreadable sample or template.</summary>
    public const string SampleEvidenceInvalid = "PE7001";

    /// <summary>A report given as a baseline or to <c>diff</c> cannot be read, or is not JSON.</summary>
    public const string ReportUnreadable = "PE9001";

    /// <summary>A file given as a baseline or to <c>diff</c> is not a PolicyEngine findings report.</summary>
    public const string ReportNotFindings = "PE9002";

    /// <summary>A findings report has a finding without a fingerprint (an older version wrote it) or without its rule, outcome or severity.</summary>
    public const string ReportWithoutFingerprints = "PE9003";

    /// <summary>A <c>--format</c> value names no reporter.</summary>
    public const string ReportFormatUnknown = "PE9004";

    /// <summary>Two reports would go to one destination (standard output, or the same file).</summary>
    public const string ReportDestinationConflict = "PE9005";

    /// <summary>A suppression's resource pattern is not a valid glob (empty, or uses '[', ']', '{' or '}').</summary>
    public const string ConfigInvalidGlob = "PE9040";

    /// <summary>An OU path prefix in the configuration is malformed (empty, empty segment, leading '/', or a wildcard).</summary>
    public const string ConfigInvalidOuPath = "PE9041";

    /// <summary>A suppression's <c>owner</c> is not text.</summary>
    public const string ConfigInvalidOwner = "PE9042";

    /// <summary>A suppression's <c>accountTags</c> is not a mapping of tag key to value(s), or a tag has no value.</summary>
    public const string ConfigInvalidAccountTag = "PE9043";

    /// <summary>A severity scope is not a list of entries, or an entry lacks its severity or its accounts, ous or regions.</summary>
    public const string ConfigInvalidSeverityScope = "PE9044";

    /// <summary>A suppression has expired by the evaluation date (warning).</summary>
    public const string ConfigSuppressionExpired = "PE9045";

    /// <summary>A suppression matches by account tags, but the snapshot holds no account's tags (warning).</summary>
    public const string ConfigAccountTagsNotInSnapshot = "PE9046";

    /// <summary>An OU path of the configuration is under no OU of the snapshot (warning).</summary>
    public const string ConfigOuPathUnknown = "PE9047";
}
