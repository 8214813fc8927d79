using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyEngine.OrgGenerator;

/// <summary>
/// Writes a large, seeded organization snapshot: the sra-aligned sample's seven accounts, plus
/// <see cref="GeneratorOptions.Accounts"/> workload accounts cloned from its workload account
/// (<see cref="TemplateAccount"/>), every account's regional evidence in every governed region, plus
/// <see cref="GeneratorOptions.Resources"/> AWS Config items. A controlled share of the generated accounts' services
/// comes from the typical-gaps sample (failing evidence) or is recorded as failed calls, and a controlled share of the
/// Config items fails its check. The output is streamed: memory stays small at any size.
/// </summary>
public static class OrganizationGenerator
{
    /// <summary>The workload account of the samples that generated accounts copy.</summary>
    public const string TemplateAccount = "444444444444";

    /// <summary>The first generated account id; account <c>i</c> is this plus <c>i</c>.</summary>
    public const long FirstGeneratedAccount = 900_000_000_000;

    private const ulong AccountStream = 1;
    private const ulong ResourceStream = 2;
    private const int FlushThreshold = 1 << 20;

    /// <summary>The id of generated account <paramref name="index"/>.</summary>
    public static string AccountId(int index) => (FirstGeneratedAccount + index).ToString(CultureInfo.InvariantCulture);

    /// <summary>Generates the snapshot into memory (for tests: keep the sizes small).</summary>
    public static byte[] Generate(GeneratorOptions options)
    {
        using var stream = new MemoryStream();
        Write(stream, options);
        return stream.ToArray();
    }

    /// <summary>Writes the snapshot to <paramref name="path"/> through a temporary file that is renamed at the end.</summary>
    public static GeneratorResult WriteFile(string path, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = Path.GetFullPath(path);
        var temporary = target + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            GeneratorResult result;
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = Write(file, options);
            }

            File.Move(temporary, target, overwrite: true);
            return result;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes the snapshot to <paramref name="output"/>.</summary>
    public static GeneratorResult Write(Stream output, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var aligned = LoadTemplate("sra-aligned.json");
        var gaps = LoadTemplate("typical-gaps.json");
        var regions = options.Regions.Order(StringComparer.Ordinal).ToArray();
        var alignedEvidence = aligned["evidence"]!.AsArray();

        var coreAccounts = aligned["organization"]!["accounts"]!.AsArray().Select(a => a!["Id"]!.GetValue<string>()).ToArray();
        var workload = PlanAccount(alignedEvidence, TemplateAccount, regions);
        var workloadGaps = PlanAccount(gaps["evidence"]!.AsArray(), TemplateAccount, regions);
        var workloadErrors = workload.ToDictionary(p => p.Key, p => p.Value.Select(ErrorVariant).ToList(), StringComparer.Ordinal);

        var accountIds = coreAccounts.Concat(Enumerable.Range(0, options.Accounts).Select(AccountId)).ToArray();
        var counting = new CountingStream(output);
        using var w = new Utf8JsonWriter(counting);
        long records = 0;
        int failingServices = 0, erroredServices = 0, failingResources = 0;

        w.WriteStartObject();
        foreach (var (name, value) in aligned)
        {
            switch (name)
            {
                case "organization":
                    w.WritePropertyName(name);
                    WriteOrganization(w, value!.AsObject(), options.Accounts);
                    break;
                case "regions":
                    w.WritePropertyName(name);
                    WriteRegions(w, regions, accountIds);
                    break;
                case "evidence":
                    w.WriteStartArray(name);
                    foreach (var account in coreAccounts)
                    {
                        foreach (var text in PlanAccount(alignedEvidence, account, regions).Values.SelectMany(v => v))
                        {
                            w.WriteRawValue(text, skipInputValidation: true);
                            records++;
                        }
                    }

                    for (var i = 0; i < options.Accounts; i++)
                    {
                        var id = AccountId(i);
                        var random = new SeededRandom(options.Seed, AccountStream, i);
                        foreach (var (service, texts) in workload)
                        {
                            var fails = random.NextDouble() < options.FailureShare && workloadGaps.ContainsKey(service);
                            var errors = random.NextDouble() < options.ErrorShare;
                            var chosen = errors ? workloadErrors[service] : fails ? workloadGaps[service] : texts;
                            erroredServices += errors ? 1 : 0;
                            failingServices += !errors && fails ? 1 : 0;
                            foreach (var text in chosen)
                            {
                                w.WriteRawValue(text.Replace(TemplateAccount, id, StringComparison.Ordinal), skipInputValidation: true);
                                records++;
                            }
                        }

                        FlushWhenFull(w);
                    }

                    w.WriteEndArray();
                    break;
                case "resources":
                    w.WriteStartArray(name);
                    foreach (var item in value!.AsArray())
                    {
                        item!.WriteTo(w);
                    }

                    for (var j = 0; j < options.Resources; j++)
                    {
                        failingResources += ConfigItems.Write(w, options.Seed, ResourceStream, j, accountIds, regions, options.FailureShare) ? 1 : 0;
                        FlushWhenFull(w);
                    }

                    w.WriteEndArray();
                    break;
                default:
                    w.WritePropertyName(name);
                    (value ?? JsonValue.Create((string?)null))!.WriteTo(w);
                    break;
            }
        }

        w.WriteEndObject();
        w.Flush();
        var resources = aligned["resources"]!.AsArray().Count + options.Resources;
        return new GeneratorResult(accountIds.Length, records, resources, failingServices, erroredServices, failingResources, counting.Written);
    }

    private static void FlushWhenFull(Utf8JsonWriter w)
    {
        if (w.BytesPending > FlushThreshold)
        {
            w.Flush();
        }
    }

    private static JsonObject LoadTemplate(string name)
    {
        using var stream = typeof(OrganizationGenerator).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The template {name} is not embedded in the generator.");
        return JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>
    /// One account's evidence, moved into the governed regions: each regional record of the template is copied into
    /// every governed region (its region name rewritten inside it too) unless the account already has a record with
    /// that key there; records already in a governed region win over copies. Compact JSON texts, grouped by service.
    /// </summary>
    private static SortedDictionary<string, List<string>> PlanAccount(JsonArray evidence, string account, IReadOnlyList<string> regions)
    {
        var plan = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var own = evidence.Where(e => e!["account"]!.GetValue<string>() == account).ToList();
        foreach (var copies in new[] { false, true })
        {
            foreach (var record in own)
            {
                var from = record!["region"]!.GetValue<string>();
                var text = record.ToJsonString();
                foreach (var to in from == "global" ? ["global"] : regions)
                {
                    if ((from == to || from == "global") == copies)
                    {
                        continue;
                    }

                    var copy = from == to || from == "global" ? text : text.Replace(from, to, StringComparison.Ordinal);
                    var node = JsonNode.Parse(copy)!;
                    if (keys.Add(Key(node)))
                    {
                        var service = node["service"]!.GetValue<string>();
                        if (!plan.TryGetValue(service, out var list))
                        {
                            plan[service] = list = [];
                        }

                        list.Add(copy);
                    }
                }
            }
        }

        return plan;
    }

    /// <summary>The same call, recorded as denied.</summary>
    private static string ErrorVariant(string text)
    {
        var record = JsonNode.Parse(text)!.AsObject();
        var service = record["service"]!.GetValue<string>();
        var operation = record["operation"]!.GetValue<string>();
        var failed = new JsonObject
        {
            ["service"] = service,
            ["operation"] = operation,
            ["account"] = record["account"]!.GetValue<string>(),
            ["region"] = record["region"]!.GetValue<string>(),
        };
        if (record["parameters"] is { } parameters)
        {
            failed["parameters"] = parameters.DeepClone();
        }

        failed["status"] = "error";
        failed["error"] = new JsonObject
        {
            ["code"] = "AccessDeniedException",
            ["message"] = $"User: arn:aws:sts::{TemplateAccount}:assumed-role/PolicyEngineAudit/session is not authorized to perform: {service}:{operation}",
            ["httpStatus"] = 403,
        };
        return failed.ToJsonString();
    }

    private static string Key(JsonNode record) => string.Join('|',
        record["service"]!.GetValue<string>(), record["operation"]!.GetValue<string>(), record["region"]!.GetValue<string>(),
        record["parameters"]?.ToJsonString() ?? "{}");

    private static void WriteOrganization(Utf8JsonWriter w, JsonObject organization, int generated)
    {
        w.WriteStartObject();
        foreach (var (name, value) in organization)
        {
            if (name != "accounts")
            {
                w.WritePropertyName(name);
                (value ?? JsonValue.Create((string?)null))!.WriteTo(w);
                continue;
            }

            w.WriteStartArray(name);
            var accounts = value!.AsArray();
            foreach (var account in accounts)
            {
                account!.WriteTo(w);
            }

            var template = accounts.First(a => a!["Id"]!.GetValue<string>() == TemplateAccount)!.AsObject();
            for (var i = 0; i < generated; i++)
            {
                var id = AccountId(i);
                var account = template.DeepClone().AsObject();
                account["Id"] = id;
                account["Arn"] = template["Arn"]!.GetValue<string>().Replace(TemplateAccount, id, StringComparison.Ordinal);
                account["Email"] = $"workload-{i:D5}@example.com";
                account["Name"] = $"Workload {i:D5}";
                account.WriteTo(w);
                FlushWhenFull(w);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteRegions(Utf8JsonWriter w, IReadOnlyList<string> regions, IReadOnlyList<string> accountIds)
    {
        w.WriteStartObject();
        w.WriteStartArray("governed");
        foreach (var region in regions)
        {
            w.WriteStringValue(region);
        }

        w.WriteEndArray();
        w.WriteStartObject("enabledByAccount");
        foreach (var account in accountIds)
        {
            w.WriteStartArray(account);
            foreach (var region in regions)
            {
                w.WriteStringValue(region);
            }

            w.WriteEndArray();
            FlushWhenFull(w);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Counts the bytes that pass through to the real output.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Written += buffer.Length;
        }
    }
}
