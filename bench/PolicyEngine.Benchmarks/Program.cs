using BenchmarkDotNet.Running;
using PolicyEngine.Benchmarks.JsonPath;

namespace PolicyEngine.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher, plus the JSONPath data generator used by bench/jsonpath/run.sh.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is [JsonPathBenchmarkData.GenerateCommand, var directory])
        {
            JsonPathBenchmarkData.WriteFiles(directory);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
