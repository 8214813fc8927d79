using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PolicyEngine.Cli.Tests.Scaling;

/// <summary>
/// The definitions in deploy/ are complete and they work: their structure is what Kubernetes, AWS Batch and Step
/// Functions require, and the commands they run, run locally with the index variables set as each engine sets them,
/// give a merged report byte-identical to the unsharded one.
/// </summary>
public sealed partial class DeployDefinitionTests : IDisposable
{
    private const string ImageScript = "/opt/policy-engine/deploy/shard.sh";
    private static readonly string Deploy = Path.Combine(CliRunner.RepoRoot, "deploy");
    private readonly string _data = Directory.CreateTempSubdirectory("policy-engine-deploy-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    // ---- Kubernetes ----

    [Fact]
    public void Kubernetes_evaluate_job_is_an_indexed_batch_v1_job_whose_shard_count_is_its_completions()
    {
        var job = Yaml("kubernetes/evaluate-shards.yaml");
        Assert.Equal("batch/v1", Text(job, "apiVersion"));
        Assert.Equal("Job", Text(job, "kind"));
        var spec = Map(job, "spec");
        Assert.Equal("Indexed", Text(spec, "completionMode"));
        var completions = int.Parse(Text(spec, "completions"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(completions >= 2);
        Assert.InRange(int.Parse(Text(spec, "parallelism"), System.Globalization.CultureInfo.InvariantCulture), 1, completions);
        var pod = Map(Map(spec, "template"), "spec");
        Assert.Equal("Never", Text(pod, "restartPolicy"));
        var container = (YamlMappingNode)Assert.Single(Seq(pod, "containers"));
        Assert.Equal([ImageScript, "evaluate"], Strings(container, "command"));
        Assert.Equal(completions.ToString(System.Globalization.CultureInfo.InvariantCulture), KubernetesEnv(container)["SHARD_COUNT"]);
        Assert.Equal("/data", Text((YamlMappingNode)Seq(container, "volumeMounts")[0], "mountPath"));
        var claim = Text(Map((YamlMappingNode)Seq(pod, "volumes")[0], "persistentVolumeClaim"), "claimName");
        var storage = Yaml("kubernetes/storage.yaml");
        Assert.Equal("PersistentVolumeClaim", Text(storage, "kind"));
        Assert.Equal(claim, Text(Map(storage, "metadata"), "name"));
        Assert.Equal(["ReadWriteMany"], Strings(Map(storage, "spec"), "accessModes"));

        var merge = Yaml("kubernetes/merge.yaml");
        Assert.Equal("batch/v1", Text(merge, "apiVersion"));
        var mergeContainer = (YamlMappingNode)Seq(Map(Map(Map(merge, "spec"), "template"), "spec"), "containers")[0];
        Assert.Equal([ImageScript, "merge"], Strings(mergeContainer, "command"));
        Assert.Equal(completions.ToString(System.Globalization.CultureInfo.InvariantCulture), KubernetesEnv(mergeContainer)["SHARD_COUNT"]);
    }

    [Fact]
    public void Kubernetes_indexed_job_run_locally_with_JOB_COMPLETION_INDEX_merges_to_the_unsharded_report()
    {
        var job = Yaml("kubernetes/evaluate-shards.yaml");
        var spec = Map(job, "spec");
        var completions = int.Parse(Text(spec, "completions"), System.Globalization.CultureInfo.InvariantCulture);
        var container = (YamlMappingNode)Seq(Map(Map(spec, "template"), "spec"), "containers")[0];
        for (var index = 0; index < completions; index++)
        {
            // Kubernetes sets JOB_COMPLETION_INDEX in each pod of an Indexed Job, 0 to completions - 1.
            Run(Strings(container, "command"), KubernetesEnv(container), ("JOB_COMPLETION_INDEX", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var mergeContainer = (YamlMappingNode)Seq(Map(Map(Map(Yaml("kubernetes/merge.yaml"), "spec"), "template"), "spec"), "containers")[0];
        Run(Strings(mergeContainer, "command"), KubernetesEnv(mergeContainer));
        AssertMergedEqualsUnsharded();
    }

    // ---- AWS Batch ----

    [Fact]
    public void Batch_job_definition_and_array_job_are_complete_and_agree()
    {
        var definition = Json("aws-batch/job-definition.json");
        Assert.Equal("container", (string?)definition["type"]);
        var container = definition["containerProperties"]!.AsObject();
        Assert.False(string.IsNullOrEmpty((string?)container["image"]));
        Assert.Equal([ImageScript, "evaluate"], container["command"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["MEMORY", "VCPU"], container["resourceRequirements"]!.AsArray().Select(r => (string)r!["type"]!).Order(StringComparer.Ordinal));
        var volume = (string)container["volumes"]![0]!["name"]!;
        Assert.Equal(volume, (string?)container["mountPoints"]![0]!["sourceVolume"]);
        Assert.Equal("/data", (string?)container["mountPoints"]![0]!["containerPath"]);

        var array = Json("aws-batch/evaluate-array-job.json");
        var size = (int)array["arrayProperties"]!["size"]!;
        Assert.InRange(size, 2, 10_000);
        Assert.Equal((string?)definition["jobDefinitionName"], (string?)array["jobDefinition"]);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), BatchEnv(array["containerOverrides"]!)["SHARD_COUNT"]);

        var merge = Json("aws-batch/merge-job.json");
        Assert.Equal((string?)definition["jobDefinitionName"], (string?)merge["jobDefinition"]);
        Assert.Equal("ARRAY_JOB_ID", (string?)merge["dependsOn"]![0]!["jobId"]);
        Assert.Equal([ImageScript, "merge"], merge["containerOverrides"]!["command"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), BatchEnv(merge["containerOverrides"]!)["SHARD_COUNT"]);
        Assert.Contains("ARRAY_JOB_ID", File.ReadAllText(Path.Combine(Deploy, "aws-batch", "submit.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_array_job_run_locally_with_AWS_BATCH_JOB_ARRAY_INDEX_merges_to_the_unsharded_report()
    {
        var definition = Json("aws-batch/job-definition.json");
        var array = Json("aws-batch/evaluate-array-job.json");
        var size = (int)array["arrayProperties"]!["size"]!;
        var environment = BatchEnv(definition["containerProperties"]!);
        foreach (var (name, value) in BatchEnv(array["containerOverrides"]!))
        {
            environment[name] = value;
        }

        for (var index = 0; index < size; index++)
        {
            // AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX in each child of an array job, 0 to size - 1.
            Run(array["containerOverrides"]!["command"]!.AsArray().Select(c => (string)c!).ToArray(), environment,
                ("AWS_BATCH_JOB_ARRAY_INDEX", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var merge = Json("aws-batch/merge-job.json");
        Run(merge["containerOverrides"]!["command"]!.AsArray().Select(c => (string)c!).ToArray(), BatchEnv(merge["containerOverrides"]!));
        AssertMergedEqualsUnsharded();
    }

    // ---- Step Functions ----

    [Fact]
    public void State_machine_is_valid_Amazon_States_Language_with_a_distributed_map_and_a_final_merge()
    {
        var machine = Json("step-functions/state-machine.asl.json");
        AssertValidStates(machine, "state machine");
        var states = machine["States"]!.AsObject();
        var map = states[(string)machine["StartAt"]!]!.AsObject();
        Assert.Equal("Map", (string?)map["Type"]);
        Assert.Equal("arn:aws:states:::s3:getObject", (string?)map["ItemReader"]!["Resource"]);
        Assert.Equal("JSON", (string?)map["ItemReader"]!["ReaderConfig"]!["InputType"]);
        var processor = map["ItemProcessor"]!.AsObject();
        Assert.Equal("DISTRIBUTED", (string?)processor["ProcessorConfig"]!["Mode"]);
        Assert.Contains((string?)processor["ProcessorConfig"]!["ExecutionType"], new[] { "STANDARD", "EXPRESS" });
        var shard = processor["States"]![(string)processor["StartAt"]!]!.AsObject();
        Assert.Equal("arn:aws:states:::batch:submitJob.sync", (string?)shard["Resource"]);
        Assert.Equal([ImageScript, "evaluate"], shard["Parameters"]!["ContainerOverrides"]!["Command"]!.AsArray().Select(c => (string)c!));

        var merge = states[(string)map["Next"]!]!.AsObject();
        Assert.Equal("Task", (string?)merge["Type"]);
        Assert.True((bool)merge["End"]!);
        Assert.Equal([ImageScript, "merge"], merge["Parameters"]!["ContainerOverrides"]!["Command"]!.AsArray().Select(c => (string)c!));

        var items = JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, "step-functions", "shards.json")))!.AsArray();
        Assert.Equal(Enumerable.Range(0, items.Count), items.Select(i => (int)i!["index"]!));
        Assert.Equal(items.Count, (int)Json("step-functions/input.json")["shardCount"]!);
    }

    [Fact]
    public void Distributed_map_run_locally_with_each_items_environment_merges_to_the_unsharded_report()
    {
        var machine = Json("step-functions/state-machine.asl.json");
        var input = Json("step-functions/input.json");
        var states = machine["States"]!.AsObject();
        var map = states[(string)machine["StartAt"]!]!.AsObject();
        var processor = map["ItemProcessor"]!.AsObject();
        var shard = processor["States"]![(string)processor["StartAt"]!]!["Parameters"]!["ContainerOverrides"]!;
        foreach (var item in JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, "step-functions", "shards.json")))!.AsArray())
        {
            // What the Map passes each child: its ItemSelector applied to the item and the state machine's input.
            var selected = new JsonObject();
            foreach (var (name, path) in map["ItemSelector"]!.AsObject())
            {
                selected[name.TrimEnd('$').TrimEnd('.')] = Select((string)path!, item!, input)?.DeepClone();
            }

            Run(shard["Command"]!.AsArray().Select(c => (string)c!).ToArray(), StatesEnv(shard, selected));
        }

        var merge = states[(string)map["Next"]!]!["Parameters"]!["ContainerOverrides"]!;
        Run(merge["Command"]!.AsArray().Select(c => (string)c!).ToArray(), StatesEnv(merge, input));
        AssertMergedEqualsUnsharded();
    }

    // ---- helpers ----

    /// <summary>Runs an engine's command: the image's entrypoint script is the repository's deploy/shard.sh.</summary>
    private void Run(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, params (string Name, string Value)[] engine)
    {
        Assert.Equal(ImageScript, command[0]);
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Deploy, "shard.sh"));
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the definitions and the engines set: none of the variables leak from the test's own environment.
        foreach (var name in new[] { "POLICY_ENGINE_SHARD_INDEX", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "SHARD_COUNT" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in engine)
        {
            start.Environment[name] = value;
        }

        start.Environment["POLICY_ENGINE"] = Tool;
        start.Environment["POLICY_ENGINE_DATA"] = _data;
        PrepareSnapshot();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)} exited {process.ExitCode}: {output}{error.Result}");
    }

    private static string Tool =>
        $"{Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet"} {Path.Combine(AppContext.BaseDirectory, "policy-engine.dll")}";

    private void PrepareSnapshot()
    {
        var snapshot = Path.Combine(_data, "snapshot.json");
        if (!File.Exists(snapshot))
        {
            File.Copy(CliRunner.Sample("typical-gaps"), snapshot);
        }
    }

    private void AssertMergedEqualsUnsharded()
    {
        foreach (var format in new[] { "json", "sarif" })
        {
            var whole = CliRunner.Run("evaluate", Path.Combine(_data, "snapshot.json"), "--format", format, "--fail-on", "none");
            Assert.Equal(0, whole.ExitCode);
            Assert.True(whole.StandardOutput == File.ReadAllText(Path.Combine(_data, $"report.{format}")), $"merged report.{format} differs from the unsharded evaluate");
        }
    }

    private static Dictionary<string, string> KubernetesEnv(YamlMappingNode container) =>
        Seq(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name"), e => Text(e, "value"), StringComparer.Ordinal);

    private static Dictionary<string, string> BatchEnv(JsonNode container) =>
        container["environment"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!, StringComparer.Ordinal);

    /// <summary>ContainerOverrides.Environment of a Task: literal Value, or Value.$ as States.Format('{}', $.NAME) over <paramref name="state"/>.</summary>
    private static Dictionary<string, string> StatesEnv(JsonNode overrides, JsonNode state)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in overrides["Environment"]!.AsArray())
        {
            var name = (string)entry!["Name"]!;
            if (entry["Value"] is { } literal)
            {
                environment[name] = (string)literal!;
                continue;
            }

            var match = FormatOfField().Match((string)entry["Value.$"]!);
            Assert.True(match.Success, $"{name}: only States.Format('{{}}', $.field) is interpreted by this test");
            environment[name] = state[match.Groups[1].Value]!.ToJsonString().Trim('"');
        }

        return environment;
    }

    private static JsonNode? Select(string path, JsonNode item, JsonNode input) => path switch
    {
        _ when path.StartsWith("$$.Map.Item.Value.", StringComparison.Ordinal) => item[path["$$.Map.Item.Value.".Length..]],
        _ when path.StartsWith("$.", StringComparison.Ordinal) => input[path[2..]],
        _ => throw new InvalidOperationException($"path {path} is not interpreted by this test"),
    };

    [GeneratedRegex(@"^States\.Format\('\{\}', \$\.([A-Za-z]+)\)$")]
    private static partial Regex FormatOfField();

    /// <summary>The Amazon States Language rules every state list obeys, recursively into Map processors.</summary>
    private static void AssertValidStates(JsonNode machine, string where)
    {
        var states = machine["States"]!.AsObject();
        Assert.True(states.ContainsKey((string)machine["StartAt"]!), $"{where}: StartAt names no state");
        var kinds = new[] { "Task", "Map", "Parallel", "Pass", "Wait", "Choice", "Succeed", "Fail" };
        foreach (var (name, node) in states)
        {
            var state = node!.AsObject();
            var type = (string?)state["Type"];
            Assert.Contains(type, kinds);
            Assert.True(name.Length <= 80, $"{where}: state name {name} is longer than 80 characters");
            if (type is not ("Choice" or "Succeed" or "Fail"))
            {
                var next = state["Next"] is not null;
                var end = state["End"] is { } e && (bool)e!;
                Assert.True(next ^ end, $"{where}: {name} must have exactly one of Next and End");
                if (next)
                {
                    Assert.True(states.ContainsKey((string)state["Next"]!), $"{where}: {name}.Next names no state");
                }
            }

            if (type == "Task")
            {
                Assert.StartsWith("arn:aws:states:::", (string?)state["Resource"], StringComparison.Ordinal);
            }

            if (type == "Map")
            {
                var processor = state["ItemProcessor"]!;
                Assert.NotNull(processor["ProcessorConfig"]);
                AssertValidStates(processor, $"{where}.{name}");
            }
        }
    }

    private static JsonNode Json(string relative) => JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, relative)))!;

    private static YamlMappingNode Yaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Deploy, relative)));
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static string[] Strings(YamlMappingNode node, string key) => [.. Seq(node, key).Cast<YamlScalarNode>().Select(s => s.Value!)];
}
