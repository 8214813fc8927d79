using System.Globalization;
using PolicyEngine.OrgGenerator;

// policy-engine bench generator: writes a seeded organization snapshot (see bench/README.md).
const string Usage = """
    Usage: PolicyEngine.OrgGenerator --out <file> [--accounts N] [--regions N] [--resources N]
                                     [--failure-share X] [--error-share X] [--seed N]
      --accounts       workload accounts added to the template's 7 (default 10)
      --regions        governed regions, the first N of a fixed list of 16 (default 4)
      --resources      AWS Config items added (default 0)
      --failure-share  share of generated services and Config items that fail (default 0.2)
      --error-share    share of generated services whose calls are recorded as denied (default 0)
      --seed           seed of every random choice (default 1)
    """;

var options = new GeneratorOptions();
string? output = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
        i++;
        options = args[i - 1] switch
        {
            "--accounts" => options with { Accounts = int.Parse(value, CultureInfo.InvariantCulture) },
            "--regions" => options with { RegionCount = int.Parse(value, CultureInfo.InvariantCulture) },
            "--resources" => options with { Resources = int.Parse(value, CultureInfo.InvariantCulture) },
            "--failure-share" => options with { FailureShare = double.Parse(value, CultureInfo.InvariantCulture) },
            "--error-share" => options with { ErrorShare = double.Parse(value, CultureInfo.InvariantCulture) },
            "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
            "--out" => SetOutput(value),
            _ => throw new ArgumentException($"Unknown option {args[i - 1]}."),
        };
    }

    if (output is null)
    {
        throw new ArgumentException("--out is required.");
    }

    options.Validate();
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

var result = OrganizationGenerator.WriteFile(output, options);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{output}: {result.Accounts} accounts x {options.RegionCount} regions, {result.EvidenceRecords} evidence records ({result.FailingServices} failing and {result.ErroredServices} denied account services), {result.Resources} Config items ({result.FailingResources} failing), {result.Bytes} bytes, seed {options.Seed}"));
return 0;

GeneratorOptions SetOutput(string path)
{
    output = path;
    return options;
}
