using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Sums a trace's GC AllocationTick samples (one per ~100 KB allocated) by type and by the first PolicyEngine frames
// of the allocating stack. Record the trace with the runtime's own EventPipe switches (bench/README.md):
//   DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath=alloc.nettrace \
//   DOTNET_EventPipeConfig='Microsoft-Windows-DotNETRuntime:0x19:5' dotnet policy-engine.dll evaluate ...
// Usage: PolicyEngine.AllocationProfile TRACE.nettrace [TYPE-PREFIX]   (stacks only of types starting with the prefix)
if (args.Length is < 1 or > 2 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: PolicyEngine.AllocationProfile TRACE.nettrace [TYPE-PREFIX]");
    return 2;
}

var typePrefix = args.Length > 1 ? args[1] : string.Empty;
var byType = new Dictionary<string, long>(StringComparer.Ordinal);
var byStack = new Dictionary<string, long>(StringComparer.Ordinal);
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
try
{
    using var log = new TraceLog(etlx);
    var source = log.Events.GetSource();
    source.Clr.GCAllocationTick += sample =>
    {
        var type = sample.TypeName + (sample.AllocationKind == GCAllocationKind.Large ? " (large object heap)" : string.Empty);
        byType[type] = byType.GetValueOrDefault(type) + sample.AllocationAmount64;
        if (!type.StartsWith(typePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var frames = new List<string>();
        for (var frame = sample.CallStack(); frame is not null && frames.Count < 3; frame = frame.Caller)
        {
            var method = frame.CodeAddress.FullMethodName;
            if (method.StartsWith("PolicyEngine", StringComparison.Ordinal))
            {
                frames.Add(method.Split('(')[0]);
            }
        }

        var stack = frames.Count == 0 ? "(no PolicyEngine frame)" : string.Join(" <- ", frames);
        byStack[stack] = byStack.GetValueOrDefault(stack) + sample.AllocationAmount64;
    };
    source.Process();
}
finally
{
    File.Delete(etlx);
}

Print($"allocated (sampled), {byType.Values.Sum() / 1048576.0:F0} MB in all, by type:", byType);
Print(typePrefix.Length == 0 ? "by allocating PolicyEngine frames:" : $"by allocating PolicyEngine frames, types starting with {typePrefix}:", byStack);
return 0;

static void Print(string title, Dictionary<string, long> totals)
{
    Console.WriteLine(title);
    foreach (var (name, bytes) in totals.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(25))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0,8:F1} MB  {name}"));
    }
}
