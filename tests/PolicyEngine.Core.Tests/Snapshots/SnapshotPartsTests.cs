using System.IO.Compression;
using System.Text;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Sharding;
using PolicyEngine.Core.Snapshots;
using PolicyEngine.JsonPath;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Snapshots;

/// <summary>
/// A snapshot file split by account into parts (<see cref="SnapshotParts"/>): each part holds its accounts' records
/// and the role accounts', under the file's paths and at the file's lines and columns, and evaluating the parts
/// (<see cref="PartsEvaluator"/>) gives the findings of the whole file, or says it cannot.
/// </summary>
public sealed class SnapshotPartsTests : IDisposable
{
    private const string Management = "111111111111";
    private readonly string _directory = TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Layouts() => new("pretty", "crlf", "compact");

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Each_part_holds_its_accounts_and_the_role_accounts_records_at_the_files_paths_and_positions(string layout)
    {
        var path = Write(layout, Organization(members: 12));
        using var whole = Load(path);
        using var parts = SnapshotParts.TryPlanCount(path, 3)!;
        Assert.Equal(3, parts.Count);
        Assert.Empty(parts.Header.Evidence);
        Assert.Equal(whole.Accounts!.Select(a => a.Id), parts.Header.Accounts!.Select(a => a.Id));

        var held = new List<string>();
        for (var index = 0; index < parts.Count; index++)
        {
            var diagnostics = new List<Diagnostic>();
            using var part = parts.Load(index, diagnostics);
            Assert.Empty(diagnostics);
            Assert.Equal(index, part!.Part);
            var expected = whole.Evidence.Where(r => r.Key.Account == Management || Shard.Of(r.Key.Account, 3) == index).ToArray();
            Assert.Equal(expected.Select(r => $"{r.Key} {r.Path}"), part.Evidence.Select(r => $"{r.Key} {r.Path}"));
            held.AddRange(part.Evidence.Where(r => r.Key.Account != Management).Select(r => r.Key.ToString()));

            // Every record, its response and a value inside it are where the whole file's locator puts them.
            var paths = part.Evidence.SelectMany(r => new[] { r.Path, r.ResponsePath, r.ResponsePath.Append("SummaryMap").Append("AccountMFAEnabled") })
                .Append(NormalizedPath.Root).Append(NormalizedPath.Root.Append("organization").Append("accounts").Append(3)).ToArray();
            var inPart = part.Locator.Locate(paths);
            Assert.Equal(paths.Length, inPart.Count);
            Assert.Equal(whole.Locator.Locate(paths).OrderBy(p => p.Key.ToString()), inPart.OrderBy(p => p.Key.ToString()));
        }

        // Every member account's records are in exactly one part.
        Assert.Equal(whole.Evidence.Where(r => r.Key.Account != Management).Select(r => r.Key.ToString()).Order(), held.Order());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Evaluating_in_parts_gives_the_whole_files_findings_with_rules_that_read_across_accounts_run_again_over_every_account(string layout)
    {
        var path = Write(layout, Organization(members: 12));
        var rules = RuleSet(
            Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n"),
            // The subject's findings depend on another member account's evidence, which only one part holds.
            Rule("target: account\ninputs:\n  summary:\n    operation: iam:GetAccountSummary\n    account: \"100000000003\"\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n",
                id: "SRA-TEST-02"));
        using var whole = Load(path);
        using var parts = SnapshotParts.TryPlanCount(path, 3)!;
        var options = new EvaluationOptions { MaxParallelism = 1 };

        var inParts = PartsEvaluator.Evaluate(rules, parts, options);

        Assert.NotNull(inParts);
        Assert.Equal(Evaluator.Evaluate(rules, whole, options).Findings.Select(Show), inParts.Findings.Select(Show));
        Assert.Equal(26, inParts.Findings.Count);
        // Not vacuous: the second rule read outside the parts that do not hold 100000000003, and only it did.
        var readOutside = new SortedSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < parts.Count; index++)
        {
            using var part = parts.Load(index, new List<Diagnostic>());
            readOutside.UnionWith(Evaluator.Evaluate(rules, part!, options with { Shard = Shard.Create(index, parts.Count) }).RulesReadOutsidePart);
        }

        Assert.Equal(["SRA-TEST-02"], readOutside);
    }

    [Fact]
    public void Counted_findings_add_up_over_the_parts()
    {
        var path = Write("compact", Organization(members: 12));
        var rules = RuleSet(Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap.AccountMFAEnabled\n    equals: 1\n"));
        using var whole = Load(path);
        using var parts = SnapshotParts.TryPlanCount(path, 4)!;
        var options = new EvaluationOptions { CountPassing = true };

        var inParts = PartsEvaluator.Evaluate(rules, parts, options)!;

        var expected = Evaluator.Evaluate(rules, whole, options);
        Assert.Equal(expected.Counted.Select(c => $"{c.Rule.Id} {c.Outcome} {c.Count}"), inParts.Counted.Select(c => $"{c.Rule.Id} {c.Outcome} {c.Count}"));
        Assert.Equal(["SRA-TEST-01 Pass 7"], inParts.Counted.Select(c => $"{c.Rule.Id} {c.Outcome} {c.Count}"));
        Assert.Equal(expected.Findings.Select(Show), inParts.Findings.Select(Show));
    }

    [Fact]
    public void A_rule_that_reads_every_accounts_configuration_items_cannot_be_evaluated_in_parts()
    {
        var path = Write("pretty", Organization(members: 12, withResources: true));
        var rules = RuleSet(Rule("target: account\npredicate: |\n  return { pass: ctx.resources('AWS::S3::Bucket').length === 12 };\n"));
        using var parts = SnapshotParts.TryPlanCount(path, 3)!;

        Assert.Null(PartsEvaluator.Evaluate(rules, parts));
    }

    [Fact]
    public void A_malformed_record_makes_its_part_fail_to_load_so_the_whole_file_is_loaded_for_its_diagnostics()
    {
        var text = Organization(members: 12).Replace("\"status\": \"ok\", \"response\": { \"SummaryMap\": { \"AccountMFAEnabled\": 0 } }", "\"status\": \"maybe\"", StringComparison.Ordinal);
        var path = Write("pretty", text);
        using var parts = SnapshotParts.TryPlanCount(path, 3)!;
        var failed = Enumerable.Range(0, parts.Count).Where(index =>
        {
            var diagnostics = new List<Diagnostic>();
            using var part = parts.Load(index, diagnostics);
            return part is null && diagnostics.Count > 0;
        }).ToArray();

        Assert.NotEmpty(failed);
        Assert.Null(PartsEvaluator.Evaluate(RuleSet(Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap\n    exists: true\n")), parts));
    }

    [Fact]
    public void A_file_changed_after_it_was_indexed_gives_no_part_but_a_diagnostic()
    {
        var text = Organization(members: 12);
        var path = Write("pretty", text);
        using var parts = SnapshotParts.TryPlanCount(path, 3)!;
        File.WriteAllText(path, text.Replace("\"AccountMFAEnabled\": 0", "\"AccountMFAEnabled\": 2", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        var diagnostics = new List<Diagnostic>();

        using var part = parts.Load(0, diagnostics);

        Assert.Null(part);
        Assert.Equal([$"{path}: error PE4004: Cannot read the snapshot: the file changed while it was evaluated in parts"], diagnostics.Select(d => d.ToString()));
        Assert.Null(PartsEvaluator.Evaluate(RuleSet(Rule("target: account\ninputs:\n  summary: iam:GetAccountSummary\nassert:\n  - path: $.SummaryMap\n    exists: true\n")), parts));
    }

    [Fact]
    public void Files_that_are_better_loaded_whole_are_not_planned()
    {
        var text = Organization(members: 12);
        var plain = Write("pretty", text);
        // A file up to four parts' worth is read whole.
        Assert.Null(SnapshotParts.TryPlan(plain, partBytes: new FileInfo(plain).Length / 4));
        using (var four = SnapshotParts.TryPlan(plain, partBytes: (new FileInfo(plain).Length / 4) - 1))
        {
            Assert.NotNull(four);
        }

        using (var planned = SnapshotParts.TryPlan(plain, partBytes: 256))
        {
            Assert.NotNull(planned);
        }

        // A link is split as the file it points to is.
        var link = Path.Combine(_directory, "link.json");
        File.CreateSymbolicLink(link, plain);
        using (var linked = SnapshotParts.TryPlan(link, partBytes: 256))
        {
            Assert.NotNull(linked);
            Assert.Equal(link, linked.File);
        }

        var gzip = Path.Combine(_directory, "snapshot.json.gz");
        using (var output = new GZipStream(File.Create(gzip), CompressionLevel.Fastest))
        {
            output.Write(Encoding.UTF8.GetBytes(text));
        }

        var bom = Path.Combine(_directory, "bom.json");
        File.WriteAllBytes(bom, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]);
        var twice = Write("pretty", text.Replace("\"formatVersion\": \"1.0\",", "\"formatVersion\": \"1.0\", \"regions\": {},", StringComparison.Ordinal));
        var invalid = Write("pretty", text[..^10]);
        var notObject = Write("pretty", "[" + text + "]");
        var badHeader = Write("pretty", text.Replace("\"formatVersion\": \"1.0\"", "\"formatVersion\": \"9.0\"", StringComparison.Ordinal));

        foreach (var file in new[] { gzip, bom, twice, invalid, notObject, badHeader, Path.Combine(_directory, "absent.json"), _directory })
        {
            Assert.Null(SnapshotParts.TryPlanCount(file, 3));
        }
    }

    /// <summary>
    /// A management account and <paramref name="members"/> member accounts, one iam:GetAccountSummary record each
    /// (MFA on for even-numbered members); non-ASCII text before the records, so that columns count UTF-16 units.
    /// </summary>
    private static string Organization(int members, bool withResources = false)
    {
        var ids = new[] { Management }.Concat(Enumerable.Range(1, members).Select(i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var text = new StringBuilder();
        text.Append("{\n  \"formatVersion\": \"1.0\",\n  \"metadata\": { \"collectedAt\": \"2026-11-30T12:00:00Z\", \"note\": \"Zürich 😀 Ωmega\" },\n");
        text.Append("  \"roles\": { \"management\": [ { \"accountId\": \"" + Management + "\", \"source\": \"configured\", \"reason\": \"test\" } ] },\n");
        text.Append("  \"organization\": {\n    \"accounts\": [\n");
        text.AppendJoin(",\n", ids.Select(id => $"      {{ \"Id\": \"{id}\", \"Name\": \"Café {id}\", \"State\": \"ACTIVE\" }}"));
        text.Append("\n    ]\n  },\n  \"regions\": { \"governed\": [ \"us-east-1\" ] },\n  \"evidence\": [\n");
        text.AppendJoin(",\n", ids.Select((id, i) =>
            $"    {{ \"service\": \"iam\", \"operation\": \"GetAccountSummary\", \"account\": \"{id}\", \"region\": \"global\", \"status\": \"ok\", \"response\": {{ \"SummaryMap\": {{ \"AccountMFAEnabled\": {(i % 2 == 0 ? 1 : 0)} }} }} }}"));
        text.Append("\n  ],\n  \"resources\": [\n");
        if (withResources)
        {
            text.AppendJoin(",\n", ids.Skip(1).Select(id =>
                $"    {{ \"resourceType\": \"AWS::S3::Bucket\", \"resourceId\": \"b-{id}\", \"awsAccountId\": \"{id}\", \"awsRegion\": \"us-east-1\", \"configuration\": {{}} }}"));
        }

        text.Append("\n  ]\n}\n");
        return text.ToString();
    }

    private string Write(string layout, string text)
    {
        var path = Path.Combine(_directory, $"{layout}-{Guid.NewGuid():N}.json");
        var content = layout switch
        {
            "crlf" => text.Replace("\n", "\r\n", StringComparison.Ordinal),
            "compact" => string.Join(' ', text.Split('\n').Select(line => line.Trim())),
            _ => text,
        };
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private static Snapshot Load(string path)
    {
        var diagnostics = new List<Diagnostic>();
        var snapshot = SnapshotLoader.LoadFile(path, diagnostics);
        Assert.Empty(diagnostics);
        return snapshot!;
    }
}
