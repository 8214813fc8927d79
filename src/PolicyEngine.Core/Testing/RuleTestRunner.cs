using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Testing;

/// <summary>What to run.</summary>
public sealed record RuleTestRunOptions
{
    /// <summary>
    /// A glob (<c>*</c> any text, <c>?</c> one character, case-insensitive) matched against each case's rule id, its
    /// name and "RULE :: name"; a case runs when any of them matches. Null runs every case.
    /// </summary>
    public string? Filter { get; init; }

    /// <summary>Compute per-rule coverage (outcomes reached; conditions decided true and false).</summary>
    public bool Coverage { get; init; }
}

/// <summary>
/// Runs rule test files (<c>*.tests.yaml</c>) against compiled rules, like <c>opa test</c>: each case builds its
/// snapshot from a fixture, evaluates its rule alone, and compares the findings, in report order, with the exact
/// findings it expects. <c>policy-engine test</c>, <c>validate</c> and the shipped pack's own tests all use this one
/// runner.
/// </summary>
public sealed class RuleTestRunner
{
    private readonly RuleSet? _rules;
    private readonly RuleTestFixtures _fixtures;

    /// <summary>Creates a runner for <paramref name="rules"/> (null when they did not compile: test files are still checked).</summary>
    public RuleTestRunner(RuleSet? rules, RuleTestFixtures fixtures)
    {
        ArgumentNullException.ThrowIfNull(fixtures);
        _rules = rules;
        _fixtures = fixtures;
    }

    /// <summary>
    /// Every <c>*.tests.yaml</c> file under the given files and directories, sorted, with paths as given (so
    /// diagnostics show what the user typed). A path that does not exist is a PE6004 error; so is finding none.
    /// </summary>
    public static IReadOnlyList<string> FindTestFiles(IEnumerable<string> paths, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var given = paths.ToArray();
        foreach (var path in given)
        {
            if (File.Exists(path))
            {
                if (RuleCompiler.IsTestFile(path))
                {
                    files.Add(path.Replace('\\', '/'));
                }
                else
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoTestFiles, new SourceLocation(path.Replace('\\', '/'), 0, 0),
                        "This file is not a rule test file: test files end in .tests.yaml."));
                }
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.tests.yaml", SearchOption.AllDirectories)
                    .Concat(Directory.EnumerateFiles(path, "*.tests.yml", SearchOption.AllDirectories)))
                {
                    files.Add(file.Replace('\\', '/'));
                }
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoTestFiles, new SourceLocation(path.Replace('\\', '/'), 0, 0),
                    "The path does not exist. Give test files (*.tests.yaml) or directories holding them."));
            }
        }

        if (files.Count == 0 && !diagnostics.Any(d => d.Code == DiagnosticCodes.NoTestFiles))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoTestFiles, new SourceLocation(string.Join(", ", given.Select(p => p.Replace('\\', '/'))), 0, 0),
                "No rule test files (*.tests.yaml) were found. Write one beside the rule it tests (see docs/rule-format.md, Rule tests)."));
        }

        return files.ToArray();
    }

    /// <summary>
    /// The test files under directories, and the given paths that are test files, sorted; other paths are ignored.
    /// <c>validate</c> uses it to check the test files that sit beside the rules.
    /// </summary>
    public static IReadOnlyList<string> TestFilesUnder(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        // Finding none is no problem here: a pack need not have tests.
        return FindTestFiles(paths.Where(p => Directory.Exists(p) || (File.Exists(p) && RuleCompiler.IsTestFile(p))), new List<Diagnostic>());
    }

    /// <summary>
    /// Reads test files and checks them against the rules and fixtures: invalid files (PE0xxx, PE1001, PE1017),
    /// unknown rules (PE6002), duplicate case names (PE6003), unknown fixtures (PE6001). Returns the cases that can run.
    /// </summary>
    public IReadOnlyList<RuleTestCase> Load(IEnumerable<string> files, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var runnable = new List<RuleTestCase>();
        var seen = new Dictionary<string, RuleTestCase>(StringComparer.Ordinal);
        var reportedRules = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var testCase in RuleTestSuite.Load(file, diagnostics))
            {
                if (seen.TryGetValue(testCase.FullName, out var first))
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateTestCase, testCase.Location,
                        $"Rule {testCase.RuleId} already has a case named '{testCase.Name}' at {first.Location}; give each case its own name."));
                    continue;
                }

                seen.Add(testCase.FullName, testCase);
                if (_rules is not null && _rules.Find(testCase.RuleId) is null)
                {
                    if (reportedRules.Add(file + "\n" + testCase.RuleId))
                    {
                        var suggestion = Rules.Binding.YamlValues.Closest(testCase.RuleId, _rules.Rules.Select(r => r.Descriptor.Id));
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TestUnknownRule, testCase.RuleLocation ?? testCase.Location,
                            $"The test file names rule '{testCase.RuleId}', which the rules under test do not have." +
                            (suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?") +
                            " Fix the id, or point --rules at the rule."));
                    }

                    continue;
                }

                if (_fixtures.Resolve(testCase, diagnostics) is not null)
                {
                    runnable.Add(testCase);
                }
            }
        }

        return runnable;
    }

    /// <summary>Finds, loads and runs test files; see <see cref="RuleTestRunOptions"/>.</summary>
    public RuleTestRun Run(IEnumerable<string> paths, RuleTestRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<Diagnostic>();
        var files = FindTestFiles(paths, diagnostics);
        return Run(files, Load(files, diagnostics), diagnostics, options);
    }

    /// <summary>Runs loaded cases (see <see cref="Load"/>); <paramref name="diagnostics"/> are the problems found so far.</summary>
    public RuleTestRun Run(IReadOnlyList<string> files, IReadOnlyList<RuleTestCase> cases, IEnumerable<Diagnostic> diagnostics, RuleTestRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<Diagnostic>(diagnostics);
        var selected = options.Filter is { } filter ? cases.Where(c => Matches(filter, c)).ToArray() : cases.ToArray();
        if (options.Filter is not null && selected.Length == 0 && cases.Count > 0)
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.FilterMatchesNothing, new SourceLocation("--filter", 0, 0),
                $"The filter '{options.Filter}' matches no rule id or case name among {cases.Count} case(s). Globs use * and ?, e.g. 'SRA-GUARDDUTY-*'."));
        }

        var results = new RuleTestCaseResult[selected.Length];
        var traces = options.Coverage ? new ConditionCoverageRecorder[selected.Length] : null;
        // One case at a time. Predicate limits count CPU time, so parallel cases would not cause spurious timeouts;
        // a pack's cases are small enough that it has not been needed.
        for (var i = 0; i < selected.Length; i++)
        {
            var recorder = traces is null ? null : new ConditionCoverageRecorder();
            results[i] = Run(selected[i], recorder);
            if (traces is not null)
            {
                traces[i] = recorder!;
            }
        }

        foreach (var result in results.Where(r => r.Problem is not null))
        {
            problems.Add(Diagnostic.Error(DiagnosticCodes.InvalidCaseSnapshot, result.Case.Location, "This case cannot run: " + result.Problem));
        }

        return new RuleTestRun
        {
            Files = files,
            Results = results,
            Diagnostics = Diagnostic.Sort(problems),
            Coverage = traces is null ? null : Coverage(cases, results, traces, options.Filter),
        };
    }

    /// <summary>Runs one case. A case whose fixture cannot be found, or whose snapshot is invalid, fails with a <see cref="RuleTestCaseResult.Problem"/>.</summary>
    public RuleTestCaseResult Run(RuleTestCase testCase) => Run(testCase, null);

    private RuleTestCaseResult Run(RuleTestCase testCase, ConditionCoverageRecorder? recorder)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (_rules?.Find(testCase.RuleId) is not { } rule)
        {
            return new RuleTestCaseResult { Case = testCase, Problem = $"rule {testCase.RuleId} is not among the rules under test" };
        }

        var diagnostics = new List<Diagnostic>();
        var fixtureFile = _fixtures.Resolve(testCase, diagnostics);
        if (fixtureFile is null)
        {
            return new RuleTestCaseResult { Case = testCase, Problem = diagnostics[0].Message };
        }

        if (_fixtures.Load(fixtureFile) is not { } fixture)
        {
            return new RuleTestCaseResult { Case = testCase, Problem = $"the fixture {fixtureFile.Replace('\\', '/')} is not a JSON object" };
        }

        using var snapshot = SnapshotLoader.Load(RuleTestSuite.BuildSnapshot(testCase, fixture), testCase.Name + ".json", diagnostics);
        if (snapshot is null || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new RuleTestCaseResult
            {
                Case = testCase,
                Problem = "the case's snapshot (its fixture after the case's changes) is invalid: " +
                    string.Join("; ", diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Code}: {d.Message}")),
            };
        }

        var evaluation = Evaluator.Evaluate(new RuleSet([rule]), snapshot, new EvaluationOptions { MaxParallelism = 1, Tracer = recorder });
        var actual = evaluation.Findings
            .Where(f => testCase.IncludeNotApplicable || f.Outcome != Outcome.NotApplicable)
            .Select(f => new ActualFinding(f.Outcome, f.Subject.Account, f.Subject.Region, f.Subject.Resource, f.Path?.ToString(), f.Message))
            .ToList();
        return new RuleTestCaseResult
        {
            Case = testCase,
            Differences = Compare(testCase.Expect, actual),
            Reached = evaluation.Findings.Select(f => f.Outcome).ToHashSet(),
        };
    }

    private static List<FindingDifference> Compare(IReadOnlyList<ExpectedFinding> expected, List<ActualFinding> actual)
    {
        var differences = new List<FindingDifference>();
        for (var i = 0; i < Math.Max(actual.Count, expected.Count); i++)
        {
            var a = i < actual.Count ? actual[i] : null;
            var e = i < expected.Count ? expected[i] : null;
            if (a is null || e is null || !Matches(e, a))
            {
                differences.Add(new FindingDifference(i + 1, expected.Count, actual.Count, e, a));
            }
        }

        return differences;
    }

    /// <summary>An expected finding matches when the outcome is equal and every field it gives is equal (message: contained).</summary>
    public static bool Matches(ExpectedFinding expected, ActualFinding actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        return expected.Outcome == actual.Outcome &&
            (expected.Account is null || expected.Account == actual.Account) &&
            (expected.Region is null || expected.Region == actual.Region) &&
            (expected.Resource is null || expected.Resource == actual.Resource) &&
            (expected.Path is null || expected.Path == actual.Path) &&
            (expected.MessageContains is null || actual.Message.Contains(expected.MessageContains, StringComparison.Ordinal));
    }

    /// <summary>Whether the filter glob matches the case's rule id, name, or "RULE :: name".</summary>
    public static bool Matches(string filter, RuleTestCase testCase)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(testCase);
        return Glob.IsMatch(filter, testCase.RuleId) || Glob.IsMatch(filter, testCase.Name) || Glob.IsMatch(filter, testCase.FullName);
    }

    private List<RuleCoverage> Coverage(IReadOnlyList<RuleTestCase> all, RuleTestCaseResult[] results, ConditionCoverageRecorder[] traces, string? filter)
    {
        var tested = all.Select(c => c.RuleId).ToHashSet(StringComparer.Ordinal);
        var coverage = new List<RuleCoverage>();
        foreach (var rule in (_rules?.Rules ?? []).OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal))
        {
            var id = rule.Descriptor.Id;
            var indexes = Enumerable.Range(0, results.Length).Where(i => results[i].Case.RuleId == id).ToArray();
            if (filter is not null && indexes.Length == 0 && !Glob.IsMatch(filter, id))
            {
                continue;
            }

            var declarative = rule.Predicate is null;
            coverage.Add(new RuleCoverage
            {
                RuleId = id,
                Location = rule.Location,
                Cases = indexes.Length,
                HasTestFile = tested.Contains(id),
                Reached = indexes.SelectMany(i => results[i].Reached).ToHashSet(),
                Declarative = declarative,
                Conditions = declarative ? ConditionCoverageRecorder.Merge(rule, indexes.Select(i => traces[i])) : [],
            });
        }

        return coverage;
    }
}

/// <summary>Glob matching for --filter: <c>*</c> any run of characters, <c>?</c> one, case-insensitive.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
