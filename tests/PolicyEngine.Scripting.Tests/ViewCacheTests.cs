namespace PolicyEngine.Scripting.Tests;

/// <summary>Members of the lazy subject view keep their identity within a call, however many are read.</summary>
public class ViewCacheTests
{
    private const string Subject = """{"a":{"x":1},"b":[1],"c":{"y":2},"d":[{"z":3}],"e":{"w":4},"f":[5,6],"g":"s","h":null}""";

    [Theory]
    [InlineData("return ctx.subject.a === ctx.subject.a && ctx.subject.b === ctx.subject.b;")]
    [InlineData("const s = ctx.subject; const first = [s.a, s.b, s.c, s.d, s.e, s.f]; const again = [s.a, s.b, s.c, s.d, s.e, s.f]; return first.every((v, i) => v === again[i]);")]
    [InlineData("const s = ctx.subject; const f = s.f; void s.a; void s.b; void s.c; void s.d; void s.e; return f === s.f && s.d[0] === s.d[0] && s.g === 's' && s.h === null;")]
    [InlineData("return Object.keys(ctx.subject).join() === 'a,b,c,d,e,f,g,h' && ctx.subject.missing === undefined && !('missing' in ctx.subject);")]
    public void Members_keep_identity_and_values(string body)
    {
        Sandbox.AssertPass(Sandbox.Run(body, new TestContext(Subject)));
    }

    [Fact]
    public void Identity_holds_across_more_members_than_the_inline_cache()
    {
        Sandbox.AssertPass(Sandbox.Run(
            "const s = ctx.subject; const all = () => [s.e, s.d, s.c, s.b, s.a, s.f]; const x = all(); const y = all(); return x.every((v, i) => v === y[i]) && Object.isFrozen(s.e) && s.e.w === 4;",
            new TestContext(Subject)));
    }

    [Fact]
    public void Ctx_members_are_rebuilt_for_every_call()
    {
        // The engine reuses one ctx object; nothing materialized for one call may show in the next.
        var runner = new PredicateRunner(Sandbox.Options);
        var predicate = Sandbox.Compile(
            "return { pass: true, message: [ctx.subject.id, ctx.account, ctx.region, ctx.roles.join('+'), ctx.governedRegions.join('+'), ctx.organization === null ? 'none' : ctx.organization.id, Object.keys(ctx.inputs).join('+'), 'in' in ctx.inputs ? ctx.inputs.in.v : '-'].join('|') };");
        for (var i = 0; i < 3; i++)
        {
            var first = new TestContext("""{"id":"a"}""")
            {
                Account = "111111111111",
                Region = "eu-west-1",
                Roles = ["management"],
                GovernedRegions = ["eu-west-1"],
                Organization = TestContext.Parse("""{"id":"o-1"}"""),
                Inputs = new Dictionary<string, EvidenceView> { ["in"] = TestContext.Ok("k", """{"v":"x"}""") },
            };
            var second = new TestContext("""{"id":"b"}""") { Account = null, Region = null, Roles = [] };
            Assert.Equal("a|111111111111|eu-west-1|management|eu-west-1|o-1|in|x", runner.Run(predicate, first).Message);
            Assert.Equal("b|||||none||-", runner.Run(predicate, second).Message);
        }
    }

    [Fact]
    public void Snapshot_wide_sections_are_rebuilt_when_the_shared_sections_change()
    {
        // Contexts of one snapshot share its sections (SharedSections is the same object): the frozen views may be kept
        // from call to call. A context of another snapshot, or one that promises nothing (null), must see its own.
        var runner = new PredicateRunner(Sandbox.Options);
        var predicate = Sandbox.Compile(
            "return { pass: true, message: [ctx.organization === null ? 'none' : ctx.organization.id, String(ctx.activeAccounts), ctx.governedRegions.join('+'), ctx.accountRoles === null ? '-' : ctx.accountRoles.r].join('|') };");
        var snapshotA = new object();
        var snapshotB = new object();
        TestContext Of(object? shared, string id) => new()
        {
            SharedSections = shared,
            Organization = TestContext.Parse("{\"id\":\"" + id + "\"}"),
            ActiveAccountIds = [id + "-acct"],
            GovernedRegions = [id + "-region"],
            AccountRoles = TestContext.Parse("{\"r\":\"" + id + "-role\"}"),
        };

        Assert.Equal("o-a|o-a-acct|o-a-region|o-a-role", runner.Run(predicate, Of(snapshotA, "o-a")).Message);
        Assert.Equal("o-a|o-a-acct|o-a-region|o-a-role", runner.Run(predicate, Of(snapshotA, "o-a")).Message);
        Assert.Equal("o-b|o-b-acct|o-b-region|o-b-role", runner.Run(predicate, Of(snapshotB, "o-b")).Message);
        Assert.Equal("o-c|o-c-acct|o-c-region|o-c-role", runner.Run(predicate, Of(null, "o-c")).Message);
        Assert.Equal("o-d|o-d-acct|o-d-region|o-d-role", runner.Run(predicate, Of(null, "o-d")).Message);
        Assert.Equal("none|null||-", runner.Run(predicate, new TestContext { SharedSections = snapshotB }).Message);
    }
}
