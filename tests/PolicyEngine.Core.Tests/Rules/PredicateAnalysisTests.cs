using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Tests.Diagnostics;
using static PolicyEngine.Core.Tests.TestKit;

namespace PolicyEngine.Core.Tests.Rules;

/// <summary>
/// Issue 15, defect 17: mistakes in a predicate that used to show only at run time, for every subject, are found when
/// the rule compiles (validate, evaluate, test) and reported at their line and column in the YAML file.
/// </summary>
public class PredicateAnalysisTests
{
    private const string CtxMembers = "subject, account, region, roles, organization, accountRoles, activeAccounts, governedRegions, inputs, evidence, tryEvidence, resources, query, log";

    // Lines 1-5 are Rule()'s header; the predicate's first line is line 12, its text starts in column 3.
    private static string Predicate(string body) => Rule(
        "target: account-region\n" +
        "inputs:\n" +
        "  trails: cloudtrail:DescribeTrails\n" +
        "  detector:\n" +
        "    operation: guardduty:GetDetector\n" +
        "predicate: |\n" +
        string.Concat(body.Split('\n').Select(line => "  " + line + "\n")));

    [Fact]
    [Covers(DiagnosticCodes.UnknownContextMember)]
    public void Ctx_input_is_an_unknown_member_at_its_place_with_a_suggestion()
    {
        Assert.Equal(
            [
                $"rule.yaml:12:17: error PE2104: ctx has no member 'input', so 'ctx.input' is always undefined. Did you mean 'ctx.inputs'? ctx has: {CtxMembers}.",
                $"rule.yaml:13:22: error PE2104: ctx has no member 'regoin', so 'ctx.regoin' is always undefined. Did you mean 'ctx.region'? ctx has: {CtxMembers}.",
                $"rule.yaml:14:11: error PE2104: ctx has no member 'accountId', so 'ctx.accountId' is always undefined. Did you mean 'ctx.account'? ctx has: {CtxMembers}.",
            ],
            Diagnose(Predicate("""
                const t = ctx.input.trails;
                const region = ctx['regoin'];
                const { accountId } = ctx;
                return t.trailList.length > 0 && region !== null;
                """)));
    }

    [Fact]
    [Covers(DiagnosticCodes.UndeclaredPredicateInput)]
    public void Undeclared_inputs_are_reported_where_they_are_named()
    {
        Assert.Equal(
            [
                "rule.yaml:12:24: error PE2105: Input 'trail' is not declared by this rule, so the predicate never gets it. Did you mean 'trails'? Declare it under 'inputs', or use one of: detector, trails.",
                "rule.yaml:13:26: error PE2105: Input 'detectr' is not declared by this rule, so the predicate never gets it. Did you mean 'detector'? Declare it under 'inputs', or use one of: detector, trails.",
                "rule.yaml:14:11: error PE2105: Input 'buckets' is not declared by this rule, so the predicate never gets it. Declare it under 'inputs', or use one of: detector, trails.",
                "rule.yaml:15:24: error PE2105: Input 'subject' is not declared by this rule, so the predicate never gets it. 'subject' is not an input of predicates: read ctx.subject. Declare it under 'inputs', or use one of: detector, trails.",
            ],
            Diagnose(Predicate("""
                const t = ctx.inputs.trail;
                const d = ctx.evidence('detectr', { region: 'us-east-1' });
                const { buckets } = ctx.inputs;
                const s = ctx.inputs.subject;
                return t !== undefined && d !== undefined && buckets !== undefined && s !== undefined;
                """)));
    }

    [Fact]
    [Covers(DiagnosticCodes.PredicateNeverReturns)]
    public void A_return_inside_a_callback_only_is_a_warning_at_that_return()
    {
        Assert.Equal(
            ["rule.yaml:13:33: warning PE2106: This 'return' is inside a callback: it ends the callback, not the predicate, and the predicate itself has no 'return', so every call returns undefined (PE3104). "
                + "Use a for...of loop, or compute the result with some/every/find and return it from the predicate."],
            Diagnose(Predicate("""
                ctx.inputs.trails.trailList.forEach(t => {
                  if (t.IsMultiRegionTrail) { return true; }
                });
                """)));
    }

    [Fact]
    public void A_predicate_without_any_return_is_a_warning_at_its_start()
    {
        Assert.Equal(
            ["rule.yaml:12:3: warning PE2106: The predicate has no 'return', so every call returns undefined (PE3104). End it with 'return true/false' or 'return { pass, message }'."],
            Diagnose(Predicate("ctx.inputs.trails.trailList.length > 0;")));
    }

    // A callback's own ctx parameter, a function that declares its own ctx, members of Object.prototype, optional
    // chaining, names computed at run time, a rebound ctx, and a return that the top level reaches only through a
    // branch: none is a certain mistake, so none is reported.
    [Theory]
    [InlineData("const names = [{ input: 1 }].map(ctx => ctx.input);\nreturn names.length === 1;")]
    [InlineData("function inner(value) { var ctx = value; return ctx.anything; }\nreturn inner(1) === undefined;")]
    [InlineData("return ctx.hasOwnProperty('inputs') && ctx?.inputs?.trails !== undefined && ctx.inputs.toString !== undefined;")]
    [InlineData("const key = 'whatever';\nreturn ctx[key] === undefined && ctx.inputs[key] === undefined;")]
    [InlineData("if (ctx.inputs.trails) { return { pass: true }; }\nctx.inputs.trails.trailList.forEach(t => { return t; });")]
    [InlineData("return ctx['inputs']['detector'] !== null && ctx.evidence(ctx.region, {}) !== null;")]
    [InlineData("let context = ctx;\nctx = { input: 1 };\nreturn ctx.input === 1 && context.inputs.trails !== undefined;")]
    [InlineData("var ctx = { input: 1 };\nreturn ctx.input === 1;")]
    public void What_cannot_be_known_statically_is_not_reported(string body)
    {
        Assert.Empty(Diagnose(Predicate(body)));
    }

    [Fact]
    public void A_callback_that_rebinds_ctx_does_not_hide_the_mistakes_around_it()
    {
        Assert.Equal(
            [$"rule.yaml:13:14: error PE2104: ctx has no member 'input', so 'ctx.input' is always undefined. Did you mean 'ctx.inputs'? ctx has: {CtxMembers}."],
            Diagnose(Predicate("""
                const names = [{ input: 1 }].map(ctx => ctx.input);
                return ctx.input === names;
                """)));
    }
}
