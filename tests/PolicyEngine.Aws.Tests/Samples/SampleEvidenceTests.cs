using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Samples;

namespace PolicyEngine.Aws.Tests.Samples;

/// <summary>Sample evidence follows the plan: scope, roles, regions, fixed parameters and fan-outs, as the collector would call.</summary>
public sealed class SampleEvidenceTests : IDisposable
{
    private static readonly CollectionPlan Plan = CollectionPlan.Load(Path.Combine(PolicyEngine.Tests.Shared.TestRepository.Root, "collectors"));

    private const string Base = """
        {
          "formatVersion": "1.0",
          "metadata": { "partition": "aws" },
          "organization": {
            "organization": { "MasterAccountId": "111111111111" },
            "accounts": [
              { "Id": "111111111111", "Name": "Management", "State": "ACTIVE" },
              { "Id": "222222222222", "Name": "Audit", "State": "ACTIVE" },
              { "Id": "333333333333", "Name": "Workload", "State": "ACTIVE" },
              { "Id": "999999999999", "Name": "Gone", "State": "SUSPENDED" }
            ]
          },
          "roles": {
            "management": [ { "accountId": "111111111111" } ],
            "securityTooling": [ { "accountId": "222222222222" } ]
          },
          "regions": { "governed": ["us-east-1", "eu-west-1"] }
        }
        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("policy-engine-sample-");

    public void Dispose() => _directory.Delete(recursive: true);

    private SampleOrganization Organization(string? guardduty = null)
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "base.json"), Base);
        if (guardduty is not null)
        {
            File.WriteAllText(Path.Combine(_directory.FullName, "guardduty.json"), guardduty);
        }

        return SampleOrganization.Load(_directory.FullName);
    }

    private static string Keys(IEnumerable<JsonObject> records) => string.Join("\n", records.Select(r =>
        $"{r["service"]}:{r["operation"]} {r["account"]}/{r["region"]} {r["parameters"]!.ToJsonString()} {r["status"]}"));

    [Fact]
    public void Account_region_scope_gives_one_record_per_active_account_and_governed_region_with_the_template_filled()
    {
        var records = SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest
        {
            Operation = "guardduty:ListDetectors",
            Response = JsonNode.Parse("""{"DetectorIds": ["det-${account}-${region}"], "Note": "${accountName}"}"""),
        });

        Assert.Equal("""
            guardduty:ListDetectors 111111111111/eu-west-1 {} ok
            guardduty:ListDetectors 111111111111/us-east-1 {} ok
            guardduty:ListDetectors 222222222222/eu-west-1 {} ok
            guardduty:ListDetectors 222222222222/us-east-1 {} ok
            guardduty:ListDetectors 333333333333/eu-west-1 {} ok
            guardduty:ListDetectors 333333333333/us-east-1 {} ok
            """.ReplaceLineEndings("\n"), Keys(records));
        Assert.Equal("""{"DetectorIds":["det-222222222222-eu-west-1"],"Note":"Audit"}""", records[2]["response"]!.ToJsonString());
    }

    [Fact]
    public void A_fan_out_follows_the_source_records_of_the_sample_and_a_failed_source_gives_not_collected()
    {
        var organization = Organization("""
            [
              {"service": "guardduty", "operation": "ListDetectors", "account": "111111111111", "region": "us-east-1", "parameters": {}, "status": "ok", "response": {"DetectorIds": ["d1", "d2"]}},
              {"service": "guardduty", "operation": "ListDetectors", "account": "222222222222", "region": "us-east-1", "parameters": {}, "status": "error", "error": {"code": "AccessDeniedException", "message": "denied"}}
            ]
            """);
        var records = SampleEvidence.Generate(Plan, organization, new SampleEvidenceRequest
        {
            Operation = "guardduty:GetDetector",
            Response = JsonNode.Parse("""{"Status": "ENABLED", "Id": "${DetectorId}"}"""),
            Regions = ["us-east-1"],
        });

        Assert.Equal("""
            guardduty:GetDetector 111111111111/us-east-1 {"DetectorId":"d1"} ok
            guardduty:GetDetector 111111111111/us-east-1 {"DetectorId":"d2"} ok
            guardduty:GetDetector 222222222222/us-east-1 {} notCollected
            """.ReplaceLineEndings("\n"), Keys(records));
        Assert.Equal("""{"Status":"ENABLED","Id":"d2"}""", records[1]["response"]!.ToJsonString());
        Assert.Equal("depends on guardduty:ListDetectors, which failed", records[2]["reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_fan_out_item_that_names_its_region_is_called_there_once_with_organization_account_batches()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "security-ir.json"), """
            [
              {"service": "security-ir", "operation": "ListMemberships", "account": "222222222222", "region": "us-east-1", "parameters": {}, "status": "ok", "response": {"items": [{"membershipId": "m-1", "region": "eu-west-1"}]}},
              {"service": "security-ir", "operation": "ListMemberships", "account": "222222222222", "region": "eu-west-1", "parameters": {}, "status": "ok", "response": {"items": [{"membershipId": "m-1", "region": "eu-west-1"}]}}
            ]
            """);
        var records = SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest { Operation = "security-ir:BatchGetMemberAccountDetails" });

        Assert.Equal("""
            security-ir:BatchGetMemberAccountDetails 222222222222/eu-west-1 {"membershipId":"m-1","accountIds":["111111111111","222222222222","333333333333"]} ok
            """.ReplaceLineEndings("\n").TrimEnd(), Keys(records));
    }

    [Fact]
    public void Role_scopes_and_fixed_parameters_are_followed_and_errors_can_be_written()
    {
        var detective = SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest { Operation = "detective:ListGraphs", Response = new JsonObject() });
        Assert.Equal(["222222222222"], detective.Select(r => r["account"]!.GetValue<string>()).Distinct());

        var contacts = SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest
        {
            Operation = "account:GetAlternateContact",
            Accounts = ["333333333333"],
            ErrorCode = "ResourceNotFoundException",
        });
        Assert.Equal("""
            account:GetAlternateContact 333333333333/global {"AlternateContactType":"BILLING"} error
            account:GetAlternateContact 333333333333/global {"AlternateContactType":"OPERATIONS"} error
            account:GetAlternateContact 333333333333/global {"AlternateContactType":"SECURITY"} error
            """.ReplaceLineEndings("\n"), Keys(contacts));
        Assert.Equal("""{"code":"ResourceNotFoundException","message":"simulated ResourceNotFoundException"}""", contacts[0]["error"]!.ToJsonString());
    }

    [Fact]
    public void Merging_replaces_records_with_the_same_key_and_keeps_the_evidence_order()
    {
        var fragment = JsonNode.Parse("""
            [
              {"service": "guardduty", "operation": "ListDetectors", "account": "333333333333", "region": "us-east-1", "parameters": {}, "status": "ok", "response": {"DetectorIds": []}},
              {"service": "guardduty", "operation": "ListDetectors", "account": "111111111111", "region": "us-east-1", "parameters": {}, "status": "ok", "response": {"DetectorIds": ["old"]}}
            ]
            """)!.AsArray();
        var records = SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest
        {
            Operation = "guardduty:ListDetectors",
            Accounts = ["111111111111"],
            Regions = ["us-east-1"],
            Response = JsonNode.Parse("""{"DetectorIds": ["new"]}"""),
        });

        var merged = SampleEvidence.Merge(fragment, records);

        Assert.Equal(["111111111111", "333333333333"], merged.Select(r => r!["account"]!.GetValue<string>()));
        Assert.Equal("""{"DetectorIds":["new"]}""", merged[0]!["response"]!.ToJsonString());
        Assert.StartsWith("[\n  {\n    \"service\": \"guardduty\",\n", SampleEvidence.Write(merged), StringComparison.Ordinal);
        Assert.Equal(SampleEvidence.Write(merged), SampleEvidence.Write(SampleEvidence.Merge(merged, records)));
    }

    /// <summary>
    /// A record written without "parameters" is the same call as one with "parameters": {} (the snapshot loader says so
    /// with PE4005), so merging replaces it instead of adding a duplicate the sample cannot load.
    /// </summary>
    [Fact]
    public void A_record_without_parameters_is_replaced_by_the_generated_record_with_empty_parameters()
    {
        var fragment = JsonNode.Parse("""
            [
              {"service": "guardduty", "operation": "ListDetectors", "account": "111111111111", "region": "us-east-1", "status": "ok", "response": {"DetectorIds": ["old"]}}
            ]
            """)!.AsArray();
        var records = SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest
        {
            Operation = "guardduty:ListDetectors",
            Accounts = ["111111111111"],
            Regions = ["us-east-1"],
            ErrorCode = "AccessDeniedException",
        });

        var merged = SampleEvidence.Merge(fragment, records);

        var record = Assert.Single(merged)!;
        Assert.Equal("error", record["status"]!.GetValue<string>());
        Assert.Equal("{}", record["parameters"]!.ToJsonString());
    }

    [Fact]
    public void An_operation_outside_the_plan_or_an_unknown_account_is_refused_with_what_to_do()
    {
        var unknown = Assert.Throws<InvalidDataException>(() => SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest { Operation = "guardduty:ListDetector" }));
        Assert.Equal("'guardduty:ListDetector' is not an operation of the collection plan (write service:Operation; did you mean guardduty:ListDetectors?)", unknown.Message);

        var account = Assert.Throws<InvalidDataException>(() => SampleEvidence.Generate(Plan, Organization(), new SampleEvidenceRequest
        {
            Operation = "guardduty:ListDetectors",
            Accounts = ["999999999999"],
        }));
        Assert.Equal("account 999999999999 is not an ACTIVE account of the sample's organization (111111111111, 222222222222, 333333333333)", account.Message);
    }
}
