using PolicyEngine.Fuzz.Targets;
using SharpFuzz;

// policy-engine-fuzz TARGET            run under afl-fuzz (SharpFuzz's fork server; without afl-fuzz: one input from stdin)
// policy-engine-fuzz TARGET FILE...    replay inputs (seeds, crashes) in this process and report each one that throws
// policy-engine-fuzz seeds REPO OUT     write each target's seed corpus from the repository to OUT/<target>
if (args is ["seeds", var repository, var output])
{
    return PolicyEngine.Fuzz.Seeds.Write(repository, output);
}

IFuzzTarget[] targets = [new JsonPathTarget(), new RuleLoaderTarget(), new SnapshotLoaderTarget()];

if (args.Length == 0 || Array.Find(targets, t => t.Name == args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: PolicyEngine.Fuzz seeds REPO OUT | {{{string.Join('|', targets.Select(t => t.Name))}}} [input-file...]");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

var failed = 0;
foreach (var file in args.Skip(1))
{
    try
    {
        target.Run(File.ReadAllBytes(file));
    }
#pragma warning disable CA1031 // Replay reports every input that throws, whatever it throws.
    catch (Exception ex)
#pragma warning restore CA1031
    {
        failed++;
        Console.Error.WriteLine($"{file}: {ex}");
    }
}

Console.WriteLine($"{target.Name}: {args.Length - 1 - failed} inputs ran clean, {failed} threw");
return failed == 0 ? 0 : 1;
