namespace PolicyEngine.Cli.Tests;

/// <summary><c>sample-evidence</c> writes the records of a plan operation for a sample, as the CONTRIBUTING walkthrough uses it.</summary>
public sealed class SampleEvidenceCommandTests
{
    [Fact]
    public void Prints_the_records_of_an_operation_for_the_chosen_account_and_region()
    {
        var result = CliRunner.Run("sample-evidence", "guardduty:ListDetectors", "--sample", "samples/fragments/typical-gaps",
            "--account", "444444444444", "--region", "eu-west-1", "--response", """{"DetectorIds": ["d-${account}"]}""");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("""
            [
              {
                "service": "guardduty",
                "operation": "ListDetectors",
                "account": "444444444444",
                "region": "eu-west-1",
                "parameters": {},
                "status": "ok",
                "response": {
                  "DetectorIds": [
                    "d-444444444444"
                  ]
                }
              }
            ]

            """.ReplaceLineEndings("\n"), result.StandardOutput);
    }

    [Fact]
    public void Into_merges_into_a_fragment_and_a_second_run_changes_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-cli-");
        try
        {
            var fragment = Path.Combine(directory.FullName, "account.json");
            string[] args = ["sample-evidence", "account:ListRegions", "--sample", "samples/fragments/typical-gaps", "--into", fragment,
                "--account", "111111111111", "--account", "222222222222", "--response", """{"Regions": [{"RegionName": "${account}"}]}"""];

            var first = CliRunner.Run(args);
            var written = File.ReadAllText(fragment);
            var second = CliRunner.Run(args);

            Assert.True(first.ExitCode == 0, first.StandardError);
            Assert.EndsWith("account.json (2 in the file). Rebuild the samples: .ci/contribute\n", first.StandardOutput, StringComparison.Ordinal);
            Assert.StartsWith("Wrote 2 records to ", first.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(0, second.ExitCode);
            Assert.Equal(written, File.ReadAllText(fragment));
            Assert.Equal(["account.json"], directory.GetFiles().Select(f => f.Name));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_record_another_fragment_already_holds_is_left_there()
    {
        var directory = Directory.CreateTempSubdirectory("policy-engine-cli-");
        try
        {
            // The trail key's rotation status is in typical-gaps' cloudtrail.json; writing it into another file would
            // give the snapshot two records with one key.
            var fragment = Path.Combine(directory.FullName, "kms.json");
            var result = CliRunner.Run("sample-evidence", "kms:GetKeyRotationStatus", "--sample", "samples/fragments/typical-gaps", "--into", fragment,
                "--response", """{"KeyRotationEnabled": true}""");

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.StartsWith("Left 1 record in the other fragments that already hold them.\nWrote 0 records to ", result.StandardOutput, StringComparison.Ordinal);
            Assert.Equal("[]\n", File.ReadAllText(fragment));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_operation_outside_the_plan_exits_2_with_PE7001_and_a_suggestion()
    {
        var result = CliRunner.Run("sample-evidence", "guardduty:ListDetector", "--sample", "samples/fragments/typical-gaps");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("samples/fragments/typical-gaps: error PE7001: Cannot generate sample evidence: 'guardduty:ListDetector' is not an operation of the collection plan (write service:Operation; did you mean guardduty:ListDetectors?)\n",
            result.StandardError);
    }
}
