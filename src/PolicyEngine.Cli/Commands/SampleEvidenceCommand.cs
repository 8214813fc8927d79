using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;
using PolicyEngine.Aws.Samples;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>sample-evidence</c>: the evidence records the collector would write for one plan operation in a sample
/// organization, with a response template; printed, or merged into a fragment file.
/// </summary>
internal static class SampleEvidenceCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var operation = new Argument<string>("operation") { Description = "The plan operation, service:Operation (e.g. kms:ListKeys)." };
        var sample = new Option<string>("--sample")
        {
            Description = "The sample organization: a fragment directory (samples/fragments/ORG) or a snapshot file.",
            Required = true,
        };
        var response = new Option<string?>("--response")
        {
            Description = "The response of every record, as JSON. Strings may use ${account}, ${accountName}, ${region}, ${partition} and ${PARAMETER}. Default {}.",
        };
        var responseFile = new Option<string?>("--response-file") { Description = "Read the response template from a JSON file." };
        var accounts = new Option<string[]>("--account") { Description = "Only this account (repeatable).", AllowMultipleArgumentsPerToken = true };
        var regions = new Option<string[]>("--region") { Description = "Only this region (repeatable).", AllowMultipleArgumentsPerToken = true };
        var errorCode = new Option<string?>("--error") { Description = "Write status error records with this AWS error code instead of responses." };
        var errorMessage = new Option<string?>("--error-message") { Description = "The message of --error (default: simulated CODE)." };
        var notCollected = new Option<string?>("--not-collected") { Description = "Write status notCollected records with this reason." };
        var into = new Option<string?>("--into")
        {
            Description = "Merge the records into this fragment file (samples/fragments/ORG/SERVICE.json): same key replaced, sorted, written atomically. Default: print them.",
        };
        var collectors = CommonOptions.CollectPlan();
        var command = new Command("sample-evidence", "Generate the evidence records of one plan operation for a sample organization.")
        {
            operation, sample, response, responseFile, accounts, regions, errorCode, errorMessage, notCollected, into, collectors,
        };
        command.SetAction(parse =>
        {
            var samplePath = parse.GetValue(sample)!;
            var template = parse.GetValue(response);
            var templateFile = parse.GetValue(responseFile);
            var target = parse.GetValue(into);
            var statuses = new[] { template ?? templateFile, parse.GetValue(errorCode), parse.GetValue(notCollected) }.Count(s => s is not null);
            if (statuses > 1 || (template is not null && templateFile is not null))
            {
                error.WriteLine("error: give one of --response, --response-file, --error and --not-collected.");
                return ExitCodes.UsageError;
            }

            string? where = templateFile;
            try
            {
                JsonNode? responseNode = null;
                if ((template ?? (templateFile is null ? null : File.ReadAllText(templateFile))) is { } json)
                {
                    where = templateFile ?? "--response";
                    responseNode = JsonNode.Parse(json);
                }

                where = parse.GetValue(collectors) ?? DefaultPaths.CollectorsDirectory;
                var plan = CollectionPlan.Load(where);
                where = samplePath;
                var organization = SampleOrganization.Load(samplePath);
                var records = SampleEvidence.Generate(plan, organization, new SampleEvidenceRequest
                {
                    Operation = parse.GetValue(operation)!,
                    Response = responseNode,
                    ErrorCode = parse.GetValue(errorCode),
                    ErrorMessage = parse.GetValue(errorMessage),
                    NotCollectedReason = parse.GetValue(notCollected),
                    Accounts = parse.GetValue(accounts) ?? [],
                    Regions = parse.GetValue(regions) ?? [],
                });
                if (target is null)
                {
                    output.Write(SampleEvidence.Write([.. records.Cast<JsonNode>()]));
                    return ExitCodes.Success;
                }

                // A record another fragment of the sample already holds stays there: a snapshot holds each key once (PE4005).
                var elsewhere = organization.EvidenceOutside(target).Select(SampleEvidence.Key).ToHashSet(StringComparer.Ordinal);
                var kept = records.Where(r => !elsewhere.Contains(SampleEvidence.Key(r))).ToList();
                if (kept.Count < records.Count)
                {
                    output.WriteLine($"Left {records.Count - kept.Count} {(records.Count - kept.Count == 1 ? "record" : "records")} in the other fragments that already hold them.");
                    records = kept;
                }

                where = target;
                var fragment = File.Exists(target) ? JsonNode.Parse(File.ReadAllText(target)) as JsonArray
                    ?? throw new InvalidDataException("a fragment must be a JSON array of evidence records") : [];
                var merged = SampleEvidence.Merge(fragment, records);
                AtomicFile.Write(target, stream => stream.Write(new UTF8Encoding(false).GetBytes(SampleEvidence.Write(merged))));
                output.WriteLine($"Wrote {records.Count} {(records.Count == 1 ? "record" : "records")} to {DefaultPaths.Display(target)} ({merged.Count} in the file). Rebuild the samples: .ci/contribute");
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine(Diagnostic.Error(DiagnosticCodes.SampleEvidenceInvalid, new SourceLocation(DefaultPaths.Display(where ?? samplePath), 0, 0),
                    $"Cannot generate sample evidence: {ex.Message.ReplaceLineEndings(" ")}"));
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
