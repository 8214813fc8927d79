using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>The vendored AWS service models and the SDK member names they give the evidence.</summary>
public sealed class ServiceModelTests
{
    [Fact]
    public void Every_plan_service_names_a_vendored_model_of_its_protocol_with_every_operation()
    {
        var plan = LoadPlan();
        foreach (var service in plan.Services)
        {
            Assert.True(service.Model is not null, $"{service.File} names no model");
            var model = ServiceModel.Find(service.Model);
            Assert.NotNull(model);
            Assert.Contains(service.Protocol, model.Protocols);
            Assert.All(service.Operations, e => Assert.True(model.HasOperation(e.Operation), $"{service.Model} has no {e.Operation}"));
        }
    }

    [Fact]
    public void Get_rest_apis_wire_name_item_becomes_the_sdk_name_items_and_unknown_members_are_kept()
    {
        var model = ServiceModel.Find("apigateway/2015-07-09")!;
        var wire = JsonNode.Parse("""{"item":[{"id":"a1","name":"orders","endpointConfiguration":{"types":["REGIONAL"]},"futureField":1}],"position":"p2","newTopLevel":true}""")!;
        Assert.Equal("""{"items":[{"id":"a1","name":"orders","endpointConfiguration":{"types":["REGIONAL"]},"futureField":1}],"position":"p2","newTopLevel":true}""",
            model.ParseResponse("GetRestApis", "rest-json", Encoding.UTF8.GetBytes(wire.ToJsonString())).ToJsonString());
    }

    [Fact]
    public void Get_stages_keeps_item_because_the_sdk_name_is_item_too()
    {
        var model = ServiceModel.Find("apigateway/2015-07-09")!;
        var wire = JsonNode.Parse("""{"item":[{"stageName":"prod","methodSettings":{"*/*":{"metricsEnabled":true}}}]}""")!;
        Assert.Equal("""{"item":[{"stageName":"prod","methodSettings":{"*/*":{"metricsEnabled":true}}}]}""",
            model.ParseResponse("GetStages", "rest-json", Encoding.UTF8.GetBytes(wire.ToJsonString())).ToJsonString());
    }

    [Fact]
    public void The_vendored_models_come_with_their_licence_and_notice()
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "PolicyEngine.Aws", "ServiceModels");
        Assert.StartsWith("Botocore", File.ReadAllText(Path.Combine(folder, "NOTICE")), StringComparison.Ordinal);
        Assert.Contains("Apache License", File.ReadAllText(Path.Combine(folder, "LICENSE.txt")), StringComparison.Ordinal);
        // Exactly the models the plan names: the vendored copies are pruned to the plan (ServiceModels/prune.py).
        Assert.Equal(LoadPlan().Services.Select(s => s.Model).Distinct().Order(StringComparer.Ordinal), ServiceModel.Available);
    }

    [Theory]
    [InlineData("model: nosuch/2020-01-01", "model 'nosuch/2020-01-01' is not vendored; the vendored models are: {available}")]
    [InlineData("model: apigateway/2015-07-09\noperations:\n  - { operation: GetRestApis, scope: account, xmlIntegers: [Quantity] }", "GetRestApis: 'xmlIntegers' and 'xmlLists' are replaced by the service model, which types every member and list")]
    [InlineData("model: apigateway/2015-07-09\nresponseKeys: pascal", "'responseKeys' is replaced by 'model: SERVICE/API-VERSION' (SDK member names from the AWS service model)")]
    [InlineData("model: apigateway/2015-07-09\nprotocol: json", "model 'apigateway/2015-07-09' is for protocol 'rest-json', but the plan says 'json'")]
    [InlineData("model: apigateway/2015-07-09\noperations:\n  - { operation: GetNothing, scope: account }", "GetNothing: not an operation of model 'apigateway/2015-07-09'")]
    public void A_plan_naming_a_missing_model_or_operation_is_refused(string yaml, string expected)
    {
        var dir = TempDir();
        try
        {
            var lines = yaml.Split('\n');
            var protocol = lines.FirstOrDefault(l => l.StartsWith("protocol:", StringComparison.Ordinal)) ?? "protocol: rest-json";
            var text = $"service: apigateway\n{protocol}\nendpointPrefix: apigateway\n" + string.Join('\n', lines.Where(l => !l.StartsWith("protocol:", StringComparison.Ordinal))) + "\n";
            File.WriteAllText(Path.Combine(dir, "apigateway.yaml"), text);
            var ex = Assert.Throws<InvalidDataException>(() => CollectionPlan.Load(dir));
            Assert.EndsWith(": " + expected.Replace("{available}", string.Join(", ", ServiceModel.Available), StringComparison.Ordinal), ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Select_filters_list_items_by_a_member_value()
    {
        using var doc = JsonDocument.Parse("""{"LoadBalancers":[{"Type":"application","Arn":"a"},{"Type":"network","Arn":"n"},{"Type":"application","Arn":"b"},{"Arn":"x"}]}""");
        Assert.Equal(["a", "b"], CollectionPlan.Select(doc.RootElement, "LoadBalancers[?Type==application].Arn").Select(e => e.GetString()));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
