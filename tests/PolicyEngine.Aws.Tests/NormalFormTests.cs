using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;
using static PolicyEngine.Aws.Tests.CollectionTestSupport;

namespace PolicyEngine.Aws.Tests;

/// <summary>
/// Every plan operation against its service model: a response with a synthetic value for every member of the output
/// shape (lists and maps of 0, 1 and 2 items, structures to a bounded depth) is written in the wire form of the
/// operation's protocol, parsed through the invoker, and must come out as the exact normal form
/// (docs/snapshot-format.md): SDK member names, typed scalars, arrays whatever the count, one timestamp form. The wire
/// forms follow the AWS protocol specifications (JSON member names are <c>locationName</c>; XML lists are wrapped in
/// <c>member</c> or the list member's <c>locationName</c> unless flattened; maps are <c>entry</c>/<c>key</c>/<c>value</c>;
/// the query protocol wraps the output in <c>resultWrapper</c>, EC2 adds <c>requestId</c>; REST payloads are the body).
/// </summary>
public sealed class NormalFormTests
{
    // Structures deeper than this are not generated (models are recursive); their members are then absent on both sides.
    private const int MaxDepth = 5;
    private const string Instant = "2024-01-02T03:04:05.5Z";
    private const string InstantEpoch = "1704164645.5";
    private const string InstantXml = "2024-01-02T03:04:05.500Z";

    public static TheoryData<string, string, int> Operations()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var e in LoadPlan().Entries.DistinctBy(e => (e.Service, e.Operation)))
        {
            foreach (var count in new[] { 0, 1, 2 })
            {
                data.Add(e.Service, e.Operation, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void A_response_in_the_wire_form_of_its_protocol_parses_into_the_normal_form(string service, string operation, int listItems)
    {
        var entry = LoadPlan().Entries.First(e => e.Service == service && e.Operation == operation);
        var generator = new WireGenerator(Model(entry.Definition.Model!), entry.Definition.Protocol, listItems);
        var (wire, expected) = generator.Response(operation);

        var parsed = OperationInvoker.ParseBody(entry, Encoding.UTF8.GetBytes(wire));

        Assert.Equal(Canonical(expected), Canonical(parsed));
    }

    [Fact]
    public void The_generated_responses_reach_every_kind_of_shape_the_plan_reads()
    {
        // Guards the test above against generating too little: each protocol's operations together produce every type.
        var kinds = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var e in LoadPlan().Entries.DistinctBy(e => (e.Service, e.Operation)))
        {
            var generator = new WireGenerator(Model(e.Definition.Model!), e.Definition.Protocol, 2);
            generator.Response(e.Operation);
            var set = kinds.TryGetValue(e.Definition.Protocol, out var s) ? s : kinds[e.Definition.Protocol] = [];
            set.UnionWith(generator.Kinds);
        }

        Assert.Equal([], ((string[][])[
            Missing("json", "structure", "list", "map", "string", "integer", "long", "boolean", "timestamp"),
            Missing("rest-json", "structure", "list", "map", "string", "integer", "long", "boolean", "timestamp", "double"),
            Missing("query", "structure", "list", "string", "integer", "boolean", "timestamp", "double"),
            Missing("ec2", "structure", "list", "string", "integer", "boolean"),
            Missing("rest-xml", "structure", "list", "string", "integer", "boolean", "timestamp", "flattened list"),
        ]).SelectMany(m => m));

        string[] Missing(string protocol, params string[] expected) => [.. expected.Where(k => !kinds[protocol].Contains(k)).Select(k => protocol + ": " + k)];
    }

    // Hand-written responses as AWS sends them, one or more per protocol.

    [Fact]
    public void Rest_json_guardduty_camel_case_wire_names_become_the_sdk_names_including_dns_logs()
    {
        Assert.Equal(
            """{"CreatedAt":"2024-01-02T03:04:05.000Z","DataSources":{"CloudTrail":{"Status":"ENABLED"},"DNSLogs":{"Status":"ENABLED"},"FlowLogs":{"Status":"ENABLED"},"S3Logs":{"Status":"DISABLED"}},"Features":[{"AdditionalConfiguration":[],"Name":"S3_DATA_EVENTS","Status":"ENABLED","UpdatedAt":"2024-01-02T03:04:05Z"}],"FindingPublishingFrequency":"SIX_HOURS","ServiceRole":"arn:aws:iam::222222222222:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty","Status":"ENABLED","Tags":{"cost-center":"sec"},"futureField":{"keep":1}}""",
            Parse("guardduty", "GetDetector", """
                {"createdAt":"2024-01-02T03:04:05.000Z","findingPublishingFrequency":"SIX_HOURS","serviceRole":"arn:aws:iam::222222222222:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
                 "status":"ENABLED","dataSources":{"cloudTrail":{"status":"ENABLED"},"dnsLogs":{"status":"ENABLED"},"flowLogs":{"status":"ENABLED"},"s3Logs":{"status":"DISABLED"}},
                 "tags":{"cost-center":"sec"},"features":[{"name":"S3_DATA_EVENTS","status":"ENABLED","updatedAt":1704164645,"additionalConfiguration":[]}],"futureField":{"keep":1}}
                """));
    }

    [Fact]
    public void Json_epoch_timestamps_become_iso_8601_utc_with_a_fraction_only_when_it_is_not_zero()
    {
        Assert.Equal(
            """{"IsLogging":true,"LatestDeliveryAttemptSucceeded":"","LatestDeliveryTime":"2026-01-01T00:00:00Z","LatestDigestDeliveryTime":"2023-11-14T22:13:20.123Z","StartLoggingTime":"2020-09-13T12:26:40.5Z"}""",
            Parse("cloudtrail", "GetTrailStatus", """{"IsLogging":true,"LatestDeliveryTime":1767225600.0,"LatestDigestDeliveryTime":1700000000.123,"StartLoggingTime":1600000000.5,"LatestDeliveryAttemptSucceeded":""}"""));
        Assert.Equal(
            """{"Accounts":[{"Arn":"arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/222222222222","Email":"a@example.com","Id":"222222222222","JoinedMethod":"CREATED","JoinedTimestamp":"2020-09-13T12:26:40.123Z","Name":"Audit","State":"ACTIVE","Status":"ACTIVE"}]}""",
            Parse("organizations", "ListAccounts", """{"Accounts":[{"Id":"222222222222","Arn":"arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/222222222222","Email":"a@example.com","Name":"Audit","Status":"ACTIVE","State":"ACTIVE","JoinedMethod":"CREATED","JoinedTimestamp":1600000000.123}]}"""));
    }

    [Fact]
    public void Rest_xml_cloudfront_single_distribution_is_an_array_and_quantities_are_numbers()
    {
        Assert.Equal(
            """{"DistributionList":{"IsTruncated":false,"Items":[{"ARN":"arn:aws:cloudfront::444444444444:distribution/E1ABCDEF","Aliases":{"Quantity":0},"DomainName":"d111.cloudfront.net","Enabled":true,"Id":"E1ABCDEF","LastModifiedTime":"2024-01-02T03:04:05.12Z","Origins":{"Items":[{"DomainName":"example.com","Id":"origin-1","OriginPath":""}],"Quantity":1},"Staging":false,"Status":"Deployed","WebACLId":""}],"Marker":"","MaxItems":100,"Quantity":1}}""",
            Parse("cloudfront", "ListDistributions", """
                <?xml version="1.0" encoding="UTF-8"?>
                <DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>1</Quantity>
                <Items><DistributionSummary><Id>E1ABCDEF</Id><ARN>arn:aws:cloudfront::444444444444:distribution/E1ABCDEF</ARN><Status>Deployed</Status>
                <LastModifiedTime>2024-01-02T03:04:05.120Z</LastModifiedTime><DomainName>d111.cloudfront.net</DomainName><Aliases><Quantity>0</Quantity></Aliases>
                <Origins><Quantity>1</Quantity><Items><Origin><Id>origin-1</Id><DomainName>example.com</DomainName><OriginPath></OriginPath></Origin></Items></Origins>
                <Enabled>true</Enabled><WebACLId></WebACLId><Staging>false</Staging></DistributionSummary></Items></DistributionList>
                """));
    }

    [Fact]
    public void Rest_xml_empty_lists_are_empty_arrays_and_a_list_cloudfront_leaves_out_is_absent()
    {
        Assert.Equal(
            """{"DistributionList":{"IsTruncated":false,"Marker":"","MaxItems":100,"Quantity":0}}""",
            Parse("cloudfront", "ListDistributions", """<DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker/><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></DistributionList>"""));
        Assert.Equal(
            """{"DistributionList":{"IsTruncated":false,"Items":[],"Quantity":0}}""",
            Parse("cloudfront", "ListDistributions", """<DistributionList><IsTruncated>false</IsTruncated><Quantity>0</Quantity><Items/></DistributionList>"""));
    }

    [Fact]
    public void Rest_xml_s3_drops_its_root_element_and_wrappers_and_a_flattened_list_takes_the_sdk_name()
    {
        Assert.Equal(
            """{"Buckets":[{"BucketRegion":"us-east-1","CreationDate":"2024-01-01T00:00:00Z","Name":"logs-333333333333"}],"Owner":{"DisplayName":"logs","ID":"o1"}}""",
            Parse("s3", "ListBuckets", """<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o1</ID><DisplayName>logs</DisplayName></Owner><Buckets><Bucket><Name>logs-333333333333</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>"""));
        Assert.Equal(
            """{"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"KMSMasterKeyID":"arn:aws:kms:us-east-1:333333333333:key/b1","SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}}""",
            Parse("s3", "GetBucketEncryption", """<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:333333333333:key/b1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"""));
    }

    [Fact]
    public void Ec2_wire_names_become_the_sdk_names_numbers_are_typed_and_request_id_is_dropped()
    {
        Assert.Equal(
            """{"AccountLevel":{"HttpPutResponseHopLimit":2,"HttpTokens":"required","InstanceMetadataTags":"disabled"}}""",
            Parse("ec2", "GetInstanceMetadataDefaults", """<GetInstanceMetadataDefaultsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><accountLevel><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><instanceMetadataTags>disabled</instanceMetadataTags></accountLevel></GetInstanceMetadataDefaultsResponse>"""));
        Assert.Equal(
            """{"VerifiedAccessInstances":[{"CreationTime":"2024-01-02T03:04:05","Description":"","FipsEnabled":false,"Tags":[],"VerifiedAccessInstanceId":"vai-0123456789abcdef0","VerifiedAccessTrustProviders":[{"TrustProviderType":"user","VerifiedAccessTrustProviderId":"vatp-1"}]}]}""",
            Parse("ec2", "DescribeVerifiedAccessInstances", """
                <DescribeVerifiedAccessInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><verifiedAccessInstanceSet><item>
                <verifiedAccessInstanceId>vai-0123456789abcdef0</verifiedAccessInstanceId><description/><verifiedAccessTrustProviderSet><item><verifiedAccessTrustProviderId>vatp-1</verifiedAccessTrustProviderId><trustProviderType>user</trustProviderType></item></verifiedAccessTrustProviderSet>
                <creationTime>2024-01-02T03:04:05</creationTime><tagSet/><fipsEnabled>false</fipsEnabled></item></verifiedAccessInstanceSet></DescribeVerifiedAccessInstancesResponse>
                """));
    }

    [Fact]
    public void Query_result_wrapper_and_member_lists_go_doubles_and_integers_are_typed_and_unknown_elements_are_kept_as_text()
    {
        Assert.Equal(
            """{"MetricAlarms":[{"ActionsEnabled":true,"AlarmName":"ddos","Dimensions":[{"Name":"ResourceArn","Value":"arn:aws:cloudfront::444444444444:distribution/E1ABCDEF"}],"EvaluationPeriods":1,"MetricName":"DDoSDetected","Namespace":"AWS/DDoSProtection","OKActions":[],"Period":60,"StateUpdatedTimestamp":"2024-01-02T03:04:05Z","Threshold":1,"futureElement":"x"}]}""",
            Parse("cloudwatch", "DescribeAlarms", """
                <DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><DescribeAlarmsResult><MetricAlarms><member>
                <AlarmName>ddos</AlarmName><ActionsEnabled>true</ActionsEnabled><OKActions/><MetricName>DDoSDetected</MetricName><Namespace>AWS/DDoSProtection</Namespace>
                <Dimensions><member><Name>ResourceArn</Name><Value>arn:aws:cloudfront::444444444444:distribution/E1ABCDEF</Value></member></Dimensions>
                <Period>60</Period><EvaluationPeriods>1</EvaluationPeriods><Threshold>1.0</Threshold><StateUpdatedTimestamp>2024-01-02T03:04:05.000Z</StateUpdatedTimestamp><futureElement>x</futureElement>
                </member></MetricAlarms></DescribeAlarmsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAlarmsResponse>
                """));
        Assert.Equal(
            """{"Role":{"Arn":"arn:aws:iam::222222222222:role/aws-service-role/triage.security-ir.amazonaws.com/AWSServiceRoleForSecurityIncidentResponse_Triage","CreateDate":"2024-01-02T03:04:05Z","MaxSessionDuration":3600,"Path":"/aws-service-role/triage.security-ir.amazonaws.com/","RoleId":"AROAEXAMPLE","RoleLastUsed":{},"RoleName":"AWSServiceRoleForSecurityIncidentResponse_Triage","Tags":[]}}""",
            Parse("iam", "GetRole", """
                <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/aws-service-role/triage.security-ir.amazonaws.com/</Path>
                <RoleName>AWSServiceRoleForSecurityIncidentResponse_Triage</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::222222222222:role/aws-service-role/triage.security-ir.amazonaws.com/AWSServiceRoleForSecurityIncidentResponse_Triage</Arn>
                <CreateDate>2024-01-02T03:04:05Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration><RoleLastUsed/><Tags/></Role></GetRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleResponse>
                """));
    }

    [Fact]
    public void The_same_data_from_a_json_and_an_xml_protocol_has_one_normal_form()
    {
        // CloudWatch answers in query (XML) and in JSON: a rule written against the normal form reads both alike.
        var xml = Parse("cloudwatch", "DescribeAlarms", """<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms><member><AlarmName>a</AlarmName><Threshold>2.5</Threshold><EvaluationPeriods>3</EvaluationPeriods><ActionsEnabled>false</ActionsEnabled><AlarmConfigurationUpdatedTimestamp>2024-01-02T03:04:05.500Z</AlarmConfigurationUpdatedTimestamp><Dimensions/></member></MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>""");
        var plan = LoadPlan();
        var entry = plan.Entries.First(e => e.Service == "cloudwatch" && e.Operation == "DescribeAlarms");
        var asJson = new PlanEntry
        {
            Definition = new PlanService { Service = "cloudwatch", Protocol = "json", EndpointPrefix = "monitoring", SigningName = "monitoring", Model = entry.Definition.Model },
            Operation = "DescribeAlarms", Scope = entry.Scope, IamAction = entry.IamAction,
        };
        var json = OperationInvoker.ParseBody(asJson, Encoding.UTF8.GetBytes("""{"MetricAlarms":[{"AlarmName":"a","Threshold":2.5,"EvaluationPeriods":3,"ActionsEnabled":false,"AlarmConfigurationUpdatedTimestamp":1704164645.5,"Dimensions":[]}]}"""));
        Assert.Equal(xml, Canonical(json));
        Assert.Equal("""{"MetricAlarms":[{"ActionsEnabled":false,"AlarmConfigurationUpdatedTimestamp":"2024-01-02T03:04:05.5Z","AlarmName":"a","Dimensions":[],"EvaluationPeriods":3,"Threshold":2.5}]}""", xml);
    }

    private static string Parse(string service, string operation, string body)
    {
        var entry = LoadPlan().Entries.First(e => e.Service == service && e.Operation == operation);
        return Canonical(OperationInvoker.ParseBody(entry, Encoding.UTF8.GetBytes(body.Trim())));
    }

    private static JsonElement Model(string name)
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream("ServiceModels/" + name + "/service-2.json")!;
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    /// <summary>JSON text with object members sorted, so that member order does not matter.</summary>
    internal static string Canonical(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sort)]),
        _ => node?.DeepClone(),
    };

    /// <summary>Writes a response in a protocol's wire form and, alongside, the normal form it must parse into.</summary>
    private sealed class WireGenerator(JsonElement model, string protocol, int listItems)
    {
        private readonly JsonElement _shapes = model.GetProperty("shapes");
        private bool Xml => protocol is "query" or "ec2" or "rest-xml";

        public HashSet<string> Kinds { get; } = new(StringComparer.Ordinal);

        public (string Wire, JsonObject Expected) Response(string operation)
        {
            var op = model.GetProperty("operations").GetProperty(operation);
            if (!op.TryGetProperty("output", out var output))
            {
                return (Xml ? $"<{operation}Response></{operation}Response>" : "{}", []);
            }

            var shapeName = output.GetProperty("shape").GetString()!;
            var shape = _shapes.GetProperty(shapeName);
            if (shape.TryGetProperty("payload", out var payload))
            {
                var member = shape.GetProperty("members").GetProperty(payload.GetString()!);
                var payloadShape = member.GetProperty("shape").GetString()!;
                var root = member.TryGetProperty("locationName", out var ln) ? ln.GetString()! : payloadShape;
                var wire = Xml ? XmlElement(root, payloadShape, 0, attributes: true) : JsonWire(payloadShape, 0)!.ToJsonString();
                var value = ExpectedOf(payloadShape, 0);
                return (wire, new JsonObject { [payload.GetString()!] = value });
            }

            var expected = (JsonObject)ExpectedOf(shapeName, 0)!;
            return protocol switch
            {
                "query" => ($"<{operation}Response xmlns=\"https://example.amazonaws.com/doc/\"><{output.GetProperty("resultWrapper").GetString()}>{XmlMembers(shapeName, 0)}</{output.GetProperty("resultWrapper").GetString()}><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></{operation}Response>", expected),
                "ec2" => ($"<{operation}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-1</requestId>{XmlMembers(shapeName, 0)}</{operation}Response>", expected),
                "rest-xml" => ($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>{XmlElement(operation + "Result", shapeName, 0, attributes: true)}", expected),
                _ => (JsonWire(shapeName, 0)!.ToJsonString(), expected),
            };
        }

        private static string Type(JsonElement shape) => shape.GetProperty("type").GetString()!;

        /// <summary>The body members of a structure (members bound to headers or the status code are not in the body).</summary>
        private IEnumerable<(string Name, JsonElement Ref, JsonElement Shape)> BodyMembers(string shapeName) =>
            _shapes.GetProperty(shapeName).TryGetProperty("members", out var members)
                ? members.EnumerateObject().Where(m => !m.Value.TryGetProperty("location", out _))
                    .Select(m => (m.Name, m.Value, _shapes.GetProperty(m.Value.GetProperty("shape").GetString()!)))
                : [];

        private static string? LocationName(JsonElement element) => element.TryGetProperty("locationName", out var ln) ? ln.GetString() : null;

        private static bool Flag(JsonElement element, string name) => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

        private static bool IsDocument(JsonElement shape) => Flag(shape, "document");

        private static bool Generated(JsonElement shape, int depth) => Type(shape) is not ("structure" or "list" or "map") || depth < MaxDepth;

        /// <summary>The normal form of a shape's synthetic value (null: not generated at this depth).</summary>
        private JsonNode? ExpectedOf(string shapeName, int depth)
        {
            var shape = _shapes.GetProperty(shapeName);
            switch (Type(shape))
            {
                case "structure" when IsDocument(shape):
                    return new JsonObject { ["any"] = "document" };
                case "structure":
                    var o = new JsonObject();
                    foreach (var (name, reference, member) in BodyMembers(shapeName))
                    {
                        if (!Generated(member, depth + 1) || (Xml && Type(member) is "list" or "map" && listItems == 0 && (Flag(reference, "flattened") || Flag(member, "flattened"))))
                        {
                            continue; // a flattened XML list of no items is no element at all
                        }

                        o[name] = ExpectedOf(reference.GetProperty("shape").GetString()!, depth + 1);
                    }

                    return o;
                case "list":
                    var item = shape.GetProperty("member").GetProperty("shape").GetString()!;
                    return new JsonArray([.. Enumerable.Range(0, listItems).Select(_ => ExpectedOf(item, depth + 1))]);
                case "map":
                    var map = new JsonObject();
                    for (var i = 0; i < listItems; i++)
                    {
                        map["key" + i.ToString(CultureInfo.InvariantCulture)] = ExpectedOf(shape.GetProperty("value").GetProperty("shape").GetString()!, depth + 1);
                    }

                    return map;
                case "integer":
                    return 7;
                case "long":
                    return 9_000_000_000L;
                case "double" or "float":
                    return 1.5;
                case "boolean":
                    return true;
                case "timestamp":
                    return Instant;
                case "blob":
                    return "AQID";
                default:
                    return shape.TryGetProperty("enum", out var values) ? values[0].GetString() : "text-" + shapeName;
            }
        }

        /// <summary>The JSON wire form (json and rest-json): wire names, epoch-second timestamps unless the model says ISO 8601.</summary>
        private JsonNode? JsonWire(string shapeName, int depth, JsonElement? reference = null)
        {
            var shape = _shapes.GetProperty(shapeName);
            Kinds.Add(IsDocument(shape) ? "document" : Type(shape));
            switch (Type(shape))
            {
                case "structure" when IsDocument(shape):
                    return new JsonObject { ["any"] = "document" };
                case "structure":
                    var o = new JsonObject();
                    foreach (var (name, r, member) in BodyMembers(shapeName))
                    {
                        if (Generated(member, depth + 1))
                        {
                            o[LocationName(r) ?? name] = JsonWire(r.GetProperty("shape").GetString()!, depth + 1, r);
                        }
                    }

                    return o;
                case "list":
                    var item = shape.GetProperty("member").GetProperty("shape").GetString()!;
                    return new JsonArray([.. Enumerable.Range(0, listItems).Select(_ => JsonWire(item, depth + 1))]);
                case "map":
                    var map = new JsonObject();
                    for (var i = 0; i < listItems; i++)
                    {
                        map["key" + i.ToString(CultureInfo.InvariantCulture)] = JsonWire(shape.GetProperty("value").GetProperty("shape").GetString()!, depth + 1);
                    }

                    return map;
                case "timestamp":
                    var format = reference is { } re && re.TryGetProperty("timestampFormat", out var f) ? f.GetString()
                        : shape.TryGetProperty("timestampFormat", out var g) ? g.GetString() : null;
                    return format == "iso8601" ? JsonValue.Create(InstantXml) : JsonNode.Parse(InstantEpoch);
                default:
                    return ExpectedOf(shapeName, depth);
            }
        }

        /// <summary>An element holding a value of the shape (XML protocols).</summary>
        private string XmlElement(string name, string shapeName, int depth, bool attributes = false)
        {
            var shape = _shapes.GetProperty(shapeName);
            var attributeText = attributes && Type(shape) == "structure"
                ? string.Concat(BodyMembers(shapeName).Where(m => Flag(m.Ref, "xmlAttribute")).Select(m => XmlAttribute(m.Name, m.Ref, m.Shape)))
                : string.Empty;
            return $"<{name}{attributeText}>{XmlContent(shapeName, depth)}</{name}>";
        }

        private static string XmlAttribute(string name, JsonElement reference, JsonElement shape)
        {
            // e.g. S3's Grantee xsi:type: the attribute needs its namespace declared.
            var attribute = LocationName(reference) ?? name;
            var declaration = attribute.StartsWith("xsi:", StringComparison.Ordinal) ? " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"" : string.Empty;
            return $"{declaration} {attribute}=\"{SecurityElement.Escape(Scalar(reference.GetProperty("shape").GetString()!, shape))}\"";
        }

        private string XmlContent(string shapeName, int depth)
        {
            var shape = _shapes.GetProperty(shapeName);
            Kinds.Add(Type(shape));
            switch (Type(shape))
            {
                case "structure":
                    return XmlMembers(shapeName, depth);
                case "list":
                    var member = shape.GetProperty("member");
                    var itemName = LocationName(member) ?? "member";
                    return string.Concat(Enumerable.Range(0, listItems).Select(_ => XmlElement(itemName, member.GetProperty("shape").GetString()!, depth + 1, attributes: true)));
                case "map":
                    return string.Concat(Enumerable.Range(0, listItems).Select(i => $"<entry>{MapEntry(shape, i, depth)}</entry>"));
                default:
                    return SecurityElement.Escape(Scalar(shapeName, shape));
            }
        }

        private string MapEntry(JsonElement shape, int i, int depth)
        {
            var keyName = LocationName(shape.GetProperty("key")) ?? "key";
            var valueName = LocationName(shape.GetProperty("value")) ?? "value";
            return $"<{keyName}>key{i.ToString(CultureInfo.InvariantCulture)}</{keyName}>" + XmlElement(valueName, shape.GetProperty("value").GetProperty("shape").GetString()!, depth + 1, attributes: true);
        }

        private string XmlMembers(string shapeName, int depth)
        {
            var text = new StringBuilder();
            foreach (var (name, reference, member) in BodyMembers(shapeName))
            {
                if (!Generated(member, depth + 1) || Flag(reference, "xmlAttribute"))
                {
                    continue;
                }

                var elementName = LocationName(reference) ?? name;
                var target = reference.GetProperty("shape").GetString()!;
                if (Type(member) is "list" && (Flag(reference, "flattened") || Flag(member, "flattened")))
                {
                    // Flattened: the items repeat in place, named by the list member's locationName when it has one.
                    Kinds.Add("flattened list");
                    var item = member.GetProperty("member");
                    var itemName = LocationName(item) ?? elementName;
                    text.Append(string.Concat(Enumerable.Range(0, listItems).Select(_ => XmlElement(itemName, item.GetProperty("shape").GetString()!, depth + 2, attributes: true))));
                }
                else if (Type(member) is "map" && (Flag(reference, "flattened") || Flag(member, "flattened")))
                {
                    Kinds.Add("flattened map");
                    text.Append(string.Concat(Enumerable.Range(0, listItems).Select(i => $"<{elementName}>{MapEntry(member, i, depth + 1)}</{elementName}>")));
                }
                else
                {
                    text.Append(XmlElement(elementName, target, depth + 1, attributes: true));
                }
            }

            return text.ToString();
        }

        /// <summary>A scalar's XML text.</summary>
        private static string Scalar(string shapeName, JsonElement shape) => Type(shape) switch
        {
            "integer" => "7",
            "long" => "9000000000",
            "double" or "float" => "1.5",
            "boolean" => "true",
            "timestamp" => InstantXml,
            "blob" => "AQID",
            _ => shape.TryGetProperty("enum", out var values) ? values[0].GetString()! : "text-" + shapeName,
        };
    }
}
