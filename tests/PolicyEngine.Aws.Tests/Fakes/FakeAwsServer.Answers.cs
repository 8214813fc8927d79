using System.Globalization;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Tests.Fakes;

public sealed partial class FakeAwsServer
{
    private const string OrgId = "o-fake000001";
    private const int OrgPageSize = 20;

    private static Reply Ok(JsonNode node) => new(200, node.ToJsonString(), "application/json");

    private static Reply Xml(string xml) => new(200, xml, "text/xml");

    private Reply Answer(PlanEntry e, string account, string region, JsonObject p, string token)
    {
        string P(string name) => p[name]?.GetValue<string>() ?? string.Empty;
        var audit = FakeOrganization.AuditAccount;
        switch (e.Service, e.Operation)
        {
            case ("sts", "GetCallerIdentity"):
                return Xml($"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:sts::{account}:assumed-role/x/y</Arn><UserId>AROAFAKE:y</UserId><Account>{account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
            case ("organizations", _) when _org.Standalone:
                return Fault(e, 400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
            case ("organizations", _) when account != FakeOrganization.ManagementAccount:
                return Fault(e, 400, "AccessDeniedException", "You don't have permissions to access this resource.");
            case ("organizations", "DescribeOrganization"):
                return Ok(new JsonObject
                {
                    ["Organization"] = new JsonObject
                    {
                        ["Id"] = OrgId, ["Arn"] = $"arn:aws:organizations::{FakeOrganization.ManagementAccount}:organization/{OrgId}",
                        ["FeatureSet"] = "ALL", ["MasterAccountArn"] = $"arn:aws:organizations::{FakeOrganization.ManagementAccount}:account/{OrgId}/{FakeOrganization.ManagementAccount}",
                        ["MasterAccountId"] = FakeOrganization.ManagementAccount, ["MasterAccountEmail"] = "mgmt@example.com",
                        ["AvailablePolicyTypes"] = new JsonArray(new JsonObject { ["Type"] = "SERVICE_CONTROL_POLICY", ["Status"] = "ENABLED" }),
                    },
                });
            case ("organizations", "ListRoots"):
                return Page("Roots", [new JsonObject { ["Id"] = _org.RootId, ["Arn"] = $"arn:aws:organizations::{FakeOrganization.ManagementAccount}:root/{OrgId}/{_org.RootId}", ["Name"] = "Root", ["PolicyTypes"] = new JsonArray() }], token);
            case ("organizations", "ListOrganizationalUnitsForParent"):
                return Page("OrganizationalUnits", [.. _org.OrganizationalUnits.Where(o => o.Parent == P("ParentId"))
                    .Select(o => new JsonObject { ["Id"] = o.Id, ["Arn"] = $"arn:aws:organizations::{FakeOrganization.ManagementAccount}:ou/{OrgId}/{o.Id}", ["Name"] = o.Name })], token);
            case ("organizations", "ListAccounts"):
                return Page("Accounts", [.. _org.Accounts.Select(AccountJson)], token, emptyPageAt: 40);
            case ("organizations", "ListAccountsForParent"):
                return Page("Accounts", [.. _org.Accounts.Where(a => a.ParentId == P("ParentId")).Select(AccountJson)], token);
            case ("organizations", "ListTagsForResource"):
                // Shaped as the organizations model's ListTagsForResourceResponse: Tags [{Key, Value}], paginated.
                return _org.Find(P("ResourceId")) is { } tagged
                    ? Page("Tags", [.. _org.TagsOf(tagged).Select(t => new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })], token)
                    : Fault(e, 400, "TargetNotFoundException", "You specified a target that doesn't exist.");
            case ("organizations", "ListPolicies"):
                return Page("Policies", [.. Policies().Where(x => x["Type"]!.GetValue<string>() == P("Filter"))], token);
            case ("organizations", "DescribePolicy"):
                var summary = Policies().First(x => x["Id"]!.GetValue<string>() == P("PolicyId"));
                return Ok(new JsonObject { ["Policy"] = new JsonObject { ["PolicySummary"] = summary, ["Content"] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}" } });
            case ("organizations", "ListTargetsForPolicy"):
                return Page("Targets", [new JsonObject { ["TargetId"] = _org.RootId, ["Arn"] = "arn:aws:organizations::x:root/" + _org.RootId, ["Name"] = "Root", ["Type"] = "ROOT" }], token);
            case ("organizations", "ListDelegatedAdministrators"):
                var da = P("ServicePrincipal") switch
                {
                    "securitylake.amazonaws.com" => FakeOrganization.LogArchiveAccount,
                    "sso.amazonaws.com" or "detective.amazonaws.com" => null,
                    _ => audit,
                };
                return Page("DelegatedAdministrators", da is null ? [] : [(JsonObject)AccountJson(_org.Find(da)!).Also(o => o["DelegationEnabledDate"] = 1700000000.5)], token);
            case ("organizations", "ListAWSServiceAccessForOrganization"):
                return Page("EnabledServicePrincipals", [.. new[] { "guardduty.amazonaws.com", "securityhub.amazonaws.com", "config.amazonaws.com" }
                    .Select(s => new JsonObject { ["ServicePrincipal"] = s, ["DateEnabled"] = 1600000000 })], token);
            case ("account", "ListRegions"):
            {
                var enabled = _org.Find(account)!.EnabledRegions.Order(StringComparer.Ordinal).ToList();
                var offset = token.Length == 0 ? 0 : int.Parse(token[2..], CultureInfo.InvariantCulture);
                var page = new JsonArray([.. enabled.Skip(offset).Take(2).Select(r => new JsonObject { ["RegionName"] = r, ["RegionOptStatus"] = r == "us-east-1" ? "ENABLED_BY_DEFAULT" : "ENABLED" })]);
                var o = new JsonObject { ["Regions"] = page };
                if (offset + 2 < enabled.Count)
                {
                    o["NextToken"] = "n-" + (offset + 2).ToString(CultureInfo.InvariantCulture);
                }

                return Ok(o);
            }

            case ("account", "GetAlternateContact"):
                return Ok(new JsonObject { ["AlternateContact"] = new JsonObject { ["AlternateContactType"] = P("AlternateContactType"), ["EmailAddress"] = "sec@example.com", ["Name"] = "Sec", ["PhoneNumber"] = "+1", ["Title"] = "CISO" } });
            case ("guardduty", "ListDetectors"):
                return Ok(new JsonObject { ["detectorIds"] = new JsonArray(Detector(account, region)) });
            case ("guardduty", "GetDetector"):
                return Ok(JsonNode.Parse("{\"status\":\"ENABLED\",\"findingPublishingFrequency\":\"SIX_HOURS\",\"features\":[{\"name\":\"S3_DATA_EVENTS\",\"status\":\"ENABLED\",\"additionalConfiguration\":[]}],\"dataSources\":{\"cloudTrail\":{\"status\":\"ENABLED\"},\"dnsLogs\":{\"status\":\"ENABLED\"},\"s3Logs\":{\"status\":\"ENABLED\"}},\"tags\":{\"cost-center\":\"x\"}}")!);
            case ("guardduty", "ListPublishingDestinations"):
                return Ok(JsonNode.Parse("{\"destinations\":[{\"destinationId\":\"dest1\",\"destinationType\":\"S3\",\"status\":\"PUBLISHING\"}]}")!);
            case ("guardduty", "DescribePublishingDestination"):
                return Ok(JsonNode.Parse("{\"destinationId\":\"dest1\",\"destinationType\":\"S3\",\"status\":\"PUBLISHING\",\"destinationProperties\":{\"destinationArn\":\"arn:aws:s3:::gd\",\"kmsKeyArn\":\"arn:aws:kms:x\"}}")!);
            case ("guardduty", "DescribeOrganizationConfiguration"):
                return Ok(JsonNode.Parse("{\"autoEnableOrganizationMembers\":\"ALL\",\"memberAccountLimitReached\":false}")!);
            case ("guardduty", "ListOrganizationAdminAccounts"):
                return Ok(new JsonObject { ["adminAccounts"] = new JsonArray(new JsonObject { ["adminAccountId"] = audit, ["adminStatus"] = "ENABLED" }) });
            case ("cloudtrail", "DescribeTrails"):
            {
                // The organization trail is multi-Region and homed in TrailHomeRegion: other regions list it only as a
                // shadow trail, which includeShadowTrails=false (default true) leaves out.
                var home = _org.TrailHomeRegion;
                var shadows = p["includeShadowTrails"] is not JsonValue sv || !sv.TryGetValue<bool>(out var include) || include;
                return Ok(account == FakeOrganization.ManagementAccount && (region == home || shadows)
                    ? JsonNode.Parse($"{{\"trailList\":[{{\"Name\":\"org\",\"TrailARN\":\"{OrgTrailArn(home, account)}\",\"HomeRegion\":\"{home}\",\"IsOrganizationTrail\":true,\"IsMultiRegionTrail\":true,\"LogFileValidationEnabled\":true,\"IncludeGlobalServiceEvents\":true,\"HasCustomEventSelectors\":false,\"HasInsightSelectors\":false,\"S3BucketName\":\"logs-{FakeOrganization.LogArchiveAccount}\",\"KmsKeyId\":\"arn:aws:kms:{home}:{FakeOrganization.LogArchiveAccount}:key/k1\"}}]}}")!
                    : new JsonObject { ["trailList"] = new JsonArray() });
            }

            case ("cloudtrail", "GetTrailStatus"):
                // A shadow trail's status is asked by ARN; its bare name is unknown outside the home region.
                return P("Name") == OrgTrailArn(_org.TrailHomeRegion, account) || (P("Name") == "org" && region == _org.TrailHomeRegion)
                    ? Ok(JsonNode.Parse("{\"IsLogging\":true,\"LatestDeliveryTime\":1767225600.0}")!)
                    : Fault(e, 400, "TrailNotFoundException", $"Unknown trail: {P("Name")} for the user: {account}");
            case ("cloudtrail", "GetEventSelectors"):
                // Strict on purpose: the trail's configuration is read in its home region.
                return region == _org.TrailHomeRegion && P("TrailName") == OrgTrailArn(region, account)
                    ? Ok(JsonNode.Parse($"{{\"TrailARN\":\"{OrgTrailArn(region, account)}\",\"EventSelectors\":[{{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true,\"DataResources\":[],\"ExcludeManagementEventSources\":[]}}]}}")!)
                    : Fault(e, 400, "TrailNotFoundException", $"Unknown trail: {P("TrailName")} for the user: {account}");
            case ("kms", "DescribeKey"):
                return Ok(new JsonObject { ["KeyMetadata"] = new JsonObject { ["KeyId"] = "k1", ["Arn"] = P("KeyId"), ["KeyState"] = "Enabled" } });
            case ("kms", "GetKeyRotationStatus"):
                return Ok(new JsonObject { ["KeyRotationEnabled"] = true });
            case ("config", "DescribeConfigurationRecorders"):
                return Ok(JsonNode.Parse("{\"ConfigurationRecorders\":[{\"name\":\"default\",\"recordingGroup\":{\"allSupported\":true,\"includeGlobalResourceTypes\":true}}]}")!);
            case ("config", "DescribeConfigurationAggregators"):
                return DescribeAggregators(e, account, region, p);
            case ("config", "DescribeConfigurationAggregatorSourcesStatus"):
                return AggregatorSourcesStatus(e, account, region, P("ConfigurationAggregatorName"));
            case ("wafv2", "ListWebACLs"):
                var scope = P("Scope");
                var arn = scope == "CLOUDFRONT" ? $"arn:aws:wafv2:us-east-1:{account}:global/webacl/cf/1" : $"arn:aws:wafv2:{region}:{account}:regional/webacl/acl/1";
                return Ok(new JsonObject { ["WebACLs"] = new JsonArray(new JsonObject { ["Name"] = "acl", ["Id"] = "1", ["ARN"] = arn }) });
            case ("wafv2", "GetLoggingConfiguration"):
                return Ok(new JsonObject { ["LoggingConfiguration"] = new JsonObject { ["ResourceArn"] = P("ResourceArn"), ["LogDestinationConfigs"] = new JsonArray("arn:aws:firehose:x") } });
            case ("security-ir", "ListMemberships"):
                // The membership lives in MembershipRegion and is listed, with its region, wherever the list is asked for.
                return Ok(new JsonObject
                {
                    ["items"] = new JsonArray(new JsonObject
                    {
                        ["membershipId"] = "m-" + account, ["accountId"] = account, ["region"] = _org.MembershipRegion,
                        ["membershipArn"] = $"arn:aws:security-ir:{_org.MembershipRegion}:{account}:membership/m-{account}", ["membershipStatus"] = "Active",
                    }),
                });
            case ("security-ir", "GetMembership" or "BatchGetMemberAccountDetails") when region != _org.MembershipRegion || P("membershipId") != "m-" + account:
                return Fault(e, 404, "ResourceNotFoundException", $"Membership {P("membershipId")} not found");
            case ("security-ir", "GetMembership"):
                return Ok(new JsonObject
                {
                    ["membershipId"] = "m-" + account, ["accountId"] = account, ["region"] = region, ["membershipName"] = "org-ir",
                    ["membershipArn"] = $"arn:aws:security-ir:{region}:{account}:membership/m-{account}", ["membershipStatus"] = "Active",
                    ["membershipActivationTimestamp"] = 1735689600.0, ["customerType"] = "Organization", ["numberOfAccountsCovered"] = 200,
                    ["optInFeatures"] = new JsonArray(new JsonObject { ["featureName"] = "Triage", ["isEnabled"] = true }),
                });
            case ("security-ir", "BatchGetMemberAccountDetails"):
                return Ok(new JsonObject
                {
                    ["items"] = new JsonArray([.. (p["accountIds"] as JsonArray ?? []).Select(id => (JsonNode?)new JsonObject
                    {
                        ["accountId"] = id!.GetValue<string>(), ["relationshipStatus"] = "Associated", ["relationshipType"] = "Organization",
                    })]),
                    ["errors"] = new JsonArray(),
                });
            case ("securitylake", "ListSubscribers"):
            {
                // s1's queue is given as an ARN, s3's as a queue URL (AWS returns both forms), s2 is an HTTPS endpoint.
                var subscribers = JsonNode.Parse($"{{\"subscribers\":[{{\"subscriberId\":\"s1\",\"subscriberEndpoint\":\"arn:aws:sqs:{region}:{account}:AmazonSecurityLake-s1-Main-Queue\"}},{{\"subscriberId\":\"s2\",\"subscriberEndpoint\":\"https://example.com/hook\"}},{{\"subscriberId\":\"s3\",\"subscriberEndpoint\":\"https://sqs.{region}.amazonaws.com/{account}/AmazonSecurityLake-s3-Main-Queue\"}}]}}")!;
                return Ok(subscribers);
            }
            case ("sqs", "GetQueueAttributes"):
            {
                var url = P("QueueUrl");
                var attributes = new JsonObject { ["KmsMasterKeyId"] = $"arn:aws:kms:{region}:{account}:key/q1" };
                if (url.EndsWith("Main-Queue", StringComparison.Ordinal))
                {
                    var subscriber = url.Contains("-s3-", StringComparison.Ordinal) ? "s3" : "s1";
                    attributes["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"arn:aws:sqs:{region}:{account}:AmazonSecurityLake-{subscriber}-DLQ\",\"maxReceiveCount\":10}}";
                }

                return new Reply(200, new JsonObject { ["Attributes"] = attributes }.ToJsonString(), "application/x-amz-json-1.0");
            }

            case ("bedrock", "GetModelInvocationLoggingConfiguration") when account == FakeOrganization.LogArchiveAccount:
                return Ok(JsonNode.Parse("{\"loggingConfig\":{\"s3Config\":{\"bucketName\":\"bedrock-logs-" + account + "\"},\"cloudWatchConfig\":{\"logGroupName\":\"/bedrock/invocations\"}}}")!);
            case ("s3", "ListBuckets"):
                return Xml($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>o1</ID></Owner><Buckets><Bucket><Name>logs-{account}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>");
            case ("s3", "GetBucketEncryption"):
                return Xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:" + region + ":" + account + ":key/b1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>");
            case ("logs", "DescribeLogGroups"):
                return Ok(JsonNode.Parse("{\"logGroups\":[{\"logGroupName\":\"" + P("logGroupNamePrefix") + "\",\"kmsKeyId\":\"arn:aws:kms:" + region + ":" + account + ":key/l1\"}]}")!);
            case ("iam", "ListOrganizationsFeatures"):
                return Xml("<ListOrganizationsFeaturesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListOrganizationsFeaturesResult><OrganizationId>o-fake000001</OrganizationId><EnabledFeatures><member>RootCredentialsManagement</member><member>RootSessions</member></EnabledFeatures></ListOrganizationsFeaturesResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></ListOrganizationsFeaturesResponse>");
            case ("ec2", "GetEbsEncryptionByDefault"):
                return Xml("<GetEbsEncryptionByDefaultResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r1</requestId><ebsEncryptionByDefault>true</ebsEncryptionByDefault><sseType>sse-ebs</sseType></GetEbsEncryptionByDefaultResponse>");
            case ("ec2", "GetInstanceMetadataDefaults"):
                return Xml("<GetInstanceMetadataDefaultsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r2</requestId><accountLevel><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><instanceMetadataTags>disabled</instanceMetadataTags></accountLevel></GetInstanceMetadataDefaultsResponse>");
            case ("s3control", "GetPublicAccessBlock"):
                return Xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>");
            case ("apigateway", "GetRestApis") when account == FakeOrganization.NetworkAccount:
            {
                // REST-JSON with the wire name `item` (SDK member `items`), paged by `position`, two APIs per page.
                var apis = new[] { "a1api00001", "a2api00002", "a3api00003" };
                var offset = token.Length == 0 ? 0 : int.Parse(token[4..], CultureInfo.InvariantCulture);
                var page = new JsonObject
                {
                    ["item"] = new JsonArray([.. apis.Skip(offset).Take(2).Select(id => (JsonNode?)new JsonObject
                    {
                        ["id"] = id, ["name"] = "api-" + id, ["createdDate"] = 1735689600, ["apiKeySource"] = "HEADER",
                        ["endpointConfiguration"] = new JsonObject { ["types"] = new JsonArray("REGIONAL") }, ["disableExecuteApiEndpoint"] = false,
                    })]),
                };
                if (offset + 2 < apis.Length)
                {
                    page["position"] = "pos-" + (offset + 2).ToString(CultureInfo.InvariantCulture);
                }

                return Ok(page);
            }

            case ("apigateway", "GetRestApis"):
                return Ok(new JsonObject { ["item"] = new JsonArray() });
            case ("apigateway", "GetStages"):
            {
                JsonNode Stage(string name, bool acl) => new JsonObject
                {
                    ["deploymentId"] = "dep-" + name, ["stageName"] = name, ["cacheClusterEnabled"] = false, ["tracingEnabled"] = false,
                    ["webAclArn"] = acl ? $"arn:aws:wafv2:{region}:{account}:regional/webacl/api-acl/1" : null,
                    ["createdDate"] = 1735689600, ["lastUpdatedDate"] = 1735689600,
                };
                var stages = P("restApiId") switch
                {
                    "a1api00001" => new JsonArray(Stage("prod", acl: true)),
                    "a2api00002" => new JsonArray(Stage("prod", acl: true), Stage("test", acl: false)),
                    _ => new JsonArray(),
                };
                foreach (var s in stages.OfType<JsonObject>().Where(s => s["webAclArn"] is null).ToList())
                {
                    s.Remove("webAclArn");
                }

                return Ok(new JsonObject { ["item"] = stages });
            }

            case ("elasticloadbalancingv2", "DescribeLoadBalancers") when account == FakeOrganization.NetworkAccount:
            {
                string Lb(string type, string kind, string name) =>
                    $"<member><LoadBalancerArn>{LoadBalancerArn(region, account, kind, name)}</LoadBalancerArn><DNSName>{name}.elb.{region}.amazonaws.com</DNSName>" +
                    $"<LoadBalancerName>{name}</LoadBalancerName><Scheme>internet-facing</Scheme><VpcId>vpc-1</VpcId><State><Code>active</Code></State>" +
                    $"<Type>{type}</Type><IpAddressType>ipv4</IpAddressType></member>";
                return Xml("<DescribeLoadBalancersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><DescribeLoadBalancersResult><LoadBalancers>" +
                    Lb("application", "app", "web") + Lb("network", "net", "tcp") + Lb("gateway", "gwy", "inspect") +
                    "</LoadBalancers></DescribeLoadBalancersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>");
            }

            case ("wafv2", "GetWebACLForResource") when P("ResourceArn").Contains(":loadbalancer/net/", StringComparison.Ordinal) || P("ResourceArn").Contains(":loadbalancer/gwy/", StringComparison.Ordinal):
                return Fault(e, 400, "WAFInvalidParameterException", "Error reason: The ARN isn't valid. A valid ARN begins with arn: and includes other information separated by colons or slashes., field: RESOURCE_ARN, parameter: " + P("ResourceArn"));
            default:
                return e.Definition.Protocol switch
                {
                    "ec2" => Xml($"<{e.Operation}Response><requestId>r</requestId></{e.Operation}Response>"),
                    "query" => Xml($"<{e.Operation}Response><{e.Operation}Result></{e.Operation}Result></{e.Operation}Response>"),
                    "rest-xml" => Xml($"<{e.Operation}Result></{e.Operation}Result>"),
                    _ => Ok(new JsonObject()),
                };
        }
    }

    public static string OrgTrailArn(string home, string account) => $"arn:aws:cloudtrail:{home}:{account}:trail/org";

    public static string LoadBalancerArn(string region, string account, string kind, string name) =>
        $"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{kind}/{name}/50dc6c495c0c9188";

    public static string Detector(string account, string region) => "det" + account + region.Replace("-", string.Empty, StringComparison.Ordinal);

    private static List<JsonObject> Policies() =>
    [
        new JsonObject { ["Id"] = "p-FullAWSAccess", ["Arn"] = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", ["Name"] = "FullAWSAccess", ["Description"] = "", ["Type"] = "SERVICE_CONTROL_POLICY", ["AwsManaged"] = true },
        new JsonObject { ["Id"] = "p-fakescp001", ["Arn"] = "arn:aws:organizations::1:policy/o/service_control_policy/p-fakescp001", ["Name"] = "DenyLeave", ["Description"] = "deny leaving", ["Type"] = "SERVICE_CONTROL_POLICY", ["AwsManaged"] = false },
        new JsonObject { ["Id"] = "p-fakercp001", ["Arn"] = "arn:aws:organizations::1:policy/o/resource_control_policy/p-fakercp001", ["Name"] = "Perimeter", ["Description"] = "", ["Type"] = "RESOURCE_CONTROL_POLICY", ["AwsManaged"] = false },
    ];

    private JsonObject AccountJson(FakeAccount a) => new()
    {
        ["Id"] = a.Id, ["Arn"] = $"arn:aws:organizations::{FakeOrganization.ManagementAccount}:account/{OrgId}/{a.Id}",
        ["Email"] = $"aws+{a.Id}@example.com", ["Name"] = a.Name, ["Status"] = a.State == "ACTIVE" ? "ACTIVE" : "SUSPENDED", ["State"] = a.State,
        ["JoinedMethod"] = "CREATED", ["JoinedTimestamp"] = 1600000000.123,
    };

    /// <summary>Organizations-style paging (20 per page); an empty page with a NextToken is served at <paramref name="emptyPageAt"/>.</summary>
    private static Reply Page(string key, List<JsonObject> items, string token, int emptyPageAt = -1)
    {
        var offset = token.Length == 0 ? 0 : int.Parse(token[2..], CultureInfo.InvariantCulture);
        if (offset == emptyPageAt && token.StartsWith("o-", StringComparison.Ordinal))
        {
            return Ok(new JsonObject { [key] = new JsonArray(), ["NextToken"] = "e-" + offset.ToString(CultureInfo.InvariantCulture) });
        }

        var o = new JsonObject { [key] = new JsonArray([.. items.Skip(offset).Take(OrgPageSize)]) };
        if (offset + OrgPageSize < items.Count)
        {
            o["NextToken"] = "o-" + (offset + OrgPageSize).ToString(CultureInfo.InvariantCulture);
        }

        return Ok(o);
    }
}

internal static class JsonExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> a)
    {
        a(o);
        return o;
    }
}
