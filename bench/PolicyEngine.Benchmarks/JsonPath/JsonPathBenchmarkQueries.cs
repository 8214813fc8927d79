namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>One benchmark query in RFC 9535 syntax and, where Newtonsoft.Json can express it, in its dialect.</summary>
public sealed record JsonPathBenchmarkQuery(string Name, string Rfc9535, string? Newtonsoft);

/// <summary>Selectors of the kind real rules use, over the generated AWS Config-style snapshot.</summary>
public static class JsonPathBenchmarkQueries
{
    public static IReadOnlyList<JsonPathBenchmarkQuery> All { get; } =
    [
        new("NameChain",
            "$.resources[5000].configuration.trailList[0].S3BucketName",
            "$.resources[5000].configuration.trailList[0].S3BucketName"),
        new("Wildcard",
            "$.resources[*].resourceType",
            "$.resources[*].resourceType"),
        new("FilterNested",
            "$.resources[?@.configuration.isMultiRegionTrail == true]",
            "$.resources[?(@.configuration.isMultiRegionTrail == true)]"),
        new("FilterAndTag",
            "$.resources[?@.awsRegion == 'eu-west-1' && @.tags.env == 'prod'].resourceId",
            "$.resources[?(@.awsRegion == 'eu-west-1' && @.tags.env == 'prod')].resourceId"),
        new("Descendant",
            "$..KmsKeyId",
            "$..KmsKeyId"),
        new("Match",
            "$.resources[?match(@.resourceId, 'i-0[0-9a-f]{6}7')].resourceId",
            "$.resources[?(@.resourceId =~ /^i-0[0-9a-f]{6}7$/)].resourceId"),
        new("Search",
            "$.resources[?search(@.arn, ':role/admin')].arn",
            "$.resources[?(@.arn =~ /:role\\/admin/)].arn"),
    ];

    public static JsonPathBenchmarkQuery Get(string name) => All.Single(q => q.Name == name);
}
