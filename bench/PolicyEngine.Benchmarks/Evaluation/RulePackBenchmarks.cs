using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Evaluation;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Benchmarks.Evaluation;

/// <summary>
/// The whole SRA pack over a large organization: compile the pack, load and index the snapshot, evaluate. The
/// organization is the sra-aligned sample scaled up: every workload account's evidence is cloned into
/// <see cref="Accounts"/> accounts and into four governed regions.
/// </summary>
[MemoryDiagnoser]
public class RulePackBenchmarks
{
    private byte[] _snapshotBytes = [];
    private RuleSet _rules = null!;
    private Snapshot _snapshot = null!;

    /// <summary>Member accounts in the scaled organization.</summary>
    [Params(1000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rules = Compile().RuleSet ?? throw new InvalidOperationException("The pack does not compile.");
        _snapshotBytes = ScaledSnapshot.Build(Path.Combine(Repository.Root, "samples", "sra-aligned.json"), Accounts, ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"]);
        _snapshot = Load();
    }

    [GlobalCleanup]
    public void Cleanup() => _snapshot.Dispose();

    [Benchmark]
    public RuleCompilation CompilePack() => Compile();

    [Benchmark]
    public int LoadAndIndexSnapshot()
    {
        using var snapshot = Load();
        return snapshot.Evidence.Count;
    }

    [Benchmark]
    public int EvaluatePack() => Evaluator.Evaluate(_rules, _snapshot).Findings.Count;

    private static RuleCompilation Compile() =>
        new RuleCompiler(OperationCatalog.Open).CompileDirectories([Path.Combine(Repository.Root, "policies")]);

    private Snapshot Load() =>
        SnapshotLoader.Load(_snapshotBytes, "scaled.json", new List<Diagnostic>()) ?? throw new InvalidOperationException("The scaled snapshot does not load.");
}

/// <summary>Builds a large organization from a sample by cloning a workload account's evidence.</summary>
public static class ScaledSnapshot
{
    private const string TemplateAccount = "444444444444";

    public static byte[] Build(string samplePath, int extraAccounts, IReadOnlyList<string> regions)
    {
        var root = JsonNode.Parse(File.ReadAllText(samplePath))!.AsObject();
        var organization = root["organization"]!.AsObject();
        var accounts = organization["accounts"]!.AsArray();
        var template = accounts.First(a => a!["Id"]!.GetValue<string>() == TemplateAccount)!;
        var evidence = root["evidence"]!.AsArray();
        var templateEvidence = evidence.Where(e => e!["account"]!.GetValue<string>() == TemplateAccount).Select(e => e!.DeepClone()).ToList();
        var firstRegion = root["regions"]!["governed"]![0]!.GetValue<string>();

        // Every account (old and new) gets the first governed region's regional evidence in every benchmark region.
        var keys = new HashSet<string>(evidence.Select(e => Key(e!)), StringComparer.Ordinal);
        foreach (var record in evidence.ToList())
        {
            if (record!["region"]!.GetValue<string>() == firstRegion)
            {
                foreach (var region in regions.Where(r => r != firstRegion))
                {
                    var copy = Retarget(record, record["account"]!.GetValue<string>(), firstRegion, region);
                    if (keys.Add(Key(copy)))
                    {
                        evidence.Add(copy);
                    }
                }
            }
        }

        for (var i = 0; i < extraAccounts; i++)
        {
            var id = (900000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var account = template.DeepClone();
            account["Id"] = id;
            account["Name"] = "Workload " + i;
            accounts.Add(account);
            foreach (var record in templateEvidence)
            {
                var from = record["region"]!.GetValue<string>();
                foreach (var region in from == "global" ? ["global"] : regions)
                {
                    var copy = Retarget(record, id, from, region);
                    if (keys.Add(Key(copy)))
                    {
                        evidence.Add(copy);
                    }
                }
            }
        }

        root["regions"]!["governed"] = new JsonArray([.. regions.Select(r => (JsonNode)r)]);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Copies a record into another account and region, rewriting ids and region names inside it too.</summary>
    private static JsonNode Retarget(JsonNode record, string account, string fromRegion, string toRegion)
    {
        var text = record.ToJsonString().Replace(TemplateAccount, account, StringComparison.Ordinal);
        if (fromRegion != "global")
        {
            text = text.Replace(fromRegion, toRegion, StringComparison.Ordinal);
        }

        return JsonNode.Parse(text)!;
    }

    private static string Key(JsonNode n) => string.Join("|",
        n["service"]!.GetValue<string>(), n["operation"]!.GetValue<string>(), n["account"]!.GetValue<string>(),
        n["region"]!.GetValue<string>(), n["parameters"]?.ToJsonString() ?? "{}");
}

/// <summary>Finds the repository the benchmark runs from.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PolicyEngine.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
