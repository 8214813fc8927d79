using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Policies.Tests.Properties;

/// <summary>
/// Property tests (CsCheck) of the whole evaluation: the shipped pack on a sample organization gives the same
/// findings whatever the number of threads and whatever order the snapshot lists its evidence records in (a
/// collector that runs calls concurrently writes them in any order). Paths into the evidence array are compared
/// by the record they designate, since moving a record changes its index.
/// </summary>
public partial class EvaluationPropertyTests
{
    [Fact]
    public void Findings_do_not_depend_on_thread_count_or_on_the_order_of_evidence_records()
    {
        var rules = SraPack.Compilation.RuleSet!;
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples/typical-gaps.json"));
        var records = JsonNode.Parse(json)!["evidence"]!.AsArray().Count;
        var identity = Enumerable.Range(0, records).ToArray();
        var expected = Evaluate(rules, json, identity, parallelism: 1);
        Assert.True(expected.Length > 1000, "the sample yields enough findings to make the comparison mean something");

        var permutation = Gen.Int.Array[records].Select(keys => identity.OrderBy(i => keys[i]).ThenBy(i => i).ToArray());
        Gen.Select(permutation, Gen.Int[1, 8]).Sample((order, parallelism) =>
        {
            var document = JsonNode.Parse(json)!;
            var evidence = document["evidence"]!.AsArray();
            var moved = order.Select(i => evidence[i]!.DeepClone()).ToArray();
            evidence.Clear();
            foreach (var record in moved)
            {
                evidence.Add(record);
            }

            Assert.Equal(expected, Evaluate(rules, document.ToJsonString(), order, parallelism));
        }, iter: 8, threads: 1, print: t => $"parallelism {t.Item2}, order {string.Join(',', t.Item1.Take(20))}...");
    }

    // Findings as text, with every $['evidence'][k] replaced by the index the record had in the original sample.
    private static string[] Evaluate(Core.Rules.RuleSet rules, string json, int[] order, int parallelism)
    {
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(Encoding.UTF8.GetBytes(json), "sample.json", diagnostics)
            ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
        var result = Evaluator.Evaluate(rules, snapshot, new EvaluationOptions { MaxParallelism = parallelism });
        return result.Findings
            .Select(f => EvidenceIndex().Replace(
                $"{f.Rule.Id}|{f.Outcome}|{f.Severity}|{f.Subject.Kind}|{f.Subject.SortKey}|{f.Code}|{f.Path}|{f.Message}",
                m => $"$['evidence'][{order[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]}]"))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    [GeneratedRegex(@"\$\['evidence'\]\[(\d+)\]")]
    private static partial Regex EvidenceIndex();
}
