using Acornima.Ast;

namespace PolicyEngine.Scripting;

/// <summary>What <see cref="PredicateAnalyzer"/> found wrong in a predicate before it ever runs.</summary>
public enum PredicateIssueKind
{
    /// <summary><c>ctx.NAME</c> where <c>ctx</c> has no member NAME (it reads <c>undefined</c>), e.g. <c>ctx.input</c>.</summary>
    UnknownContextMember,

    /// <summary><c>ctx.inputs.NAME</c>, <c>ctx.evidence('NAME')</c> or <c>ctx.tryEvidence('NAME')</c> where the rule declares no input NAME.</summary>
    UndeclaredInput,

    /// <summary>
    /// No <c>return</c> in the predicate's own body, so every call returns <c>undefined</c>. <see cref="PredicateIssue.Line"/>
    /// is a <c>return</c> inside a callback when there is one (it ends the callback only), else the predicate's start.
    /// </summary>
    NoReturn,
}

/// <summary>One finding of <see cref="PredicateAnalyzer"/>; the position is in the predicate source (1-based line and column).</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Name">The member or input name (empty for <see cref="PredicateIssueKind.NoReturn"/>).</param>
/// <param name="Line">1-based line in the predicate source.</param>
/// <param name="Column">1-based column in the predicate source.</param>
/// <param name="InCallback">For <see cref="PredicateIssueKind.NoReturn"/>: the position is a <c>return</c> inside a callback.</param>
public sealed record PredicateIssue(PredicateIssueKind Kind, string Name, int Line, int Column, bool InCallback = false);

/// <summary>
/// Static checks of a compiled predicate: the mistakes that otherwise only show at run time, per subject, found by
/// walking its syntax tree (Acornima's, the one Jint runs). Every check reports only what is certain: a member read
/// from <c>ctx</c> itself (never through a variable that may hold something else, and nowhere a function rebinds the
/// name <c>ctx</c>), an input named by a literal, a predicate without any <c>return</c> of its own.
/// </summary>
public static class PredicateAnalyzer
{
    /// <summary>The members of a predicate's <c>ctx</c> (docs/rule-format.md, "Predicates").</summary>
    public static IReadOnlyList<string> ContextMembers => Internal.ContextObject.Names;

    // ctx inherits Object.prototype: these read a function, not undefined, and are no mistake.
    private static readonly HashSet<string> ObjectPrototypeMembers = new(StringComparer.Ordinal)
    {
        "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf",
        "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    };

    private const string Context = "ctx";

    /// <summary>Finds the issues of <paramref name="predicate"/>, given the names of the inputs its rule declares.</summary>
    public static IReadOnlyList<PredicateIssue> Analyze(CompiledPredicate predicate, IReadOnlyCollection<string> declaredInputs)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(declaredInputs);
        if (predicate.Prepared.Program is not { Body: [ExpressionStatement { Expression: FunctionExpression function }] })
        {
            return [];
        }

        var issues = new List<PredicateIssue>();
        var walk = new Walk(predicate.Source, declaredInputs, issues);
        walk.Run(function.Body);
        return issues;
    }

    private sealed class Walk(string source, IReadOnlyCollection<string> declaredInputs, List<PredicateIssue> issues)
    {
        private readonly HashSet<string> _inputs = new(declaredInputs, StringComparer.Ordinal);

        public void Run(FunctionBody body)
        {
            // An assignment to ctx anywhere, or a declaration of ctx in the predicate's own scope, makes every ctx.x
            // uncertain: check nothing about members then. (A nested function that rebinds ctx is skipped alone.)
            var checkMembers = !Nodes(body, intoFunctions: true).Any(AssignsContext)
                && !Nodes(body, intoFunctions: false).Any(DeclaresContext);
            var ownReturn = false;
            Node? callbackReturn = null;

            // An explicit stack: a predicate may nest deeper than the thread's stack allows recursion.
            var pending = new Stack<(Node Node, bool Shadowed, bool InCallback)>();
            pending.Push((body, false, false));
            while (pending.Count > 0)
            {
                var (node, shadowed, inCallback) = pending.Pop();
                if (node is ReturnStatement)
                {
                    if (inCallback)
                    {
                        callbackReturn ??= node;
                    }
                    else
                    {
                        ownReturn = true;
                    }
                }

                if (checkMembers && !shadowed)
                {
                    Check(node);
                }

                var childShadowed = shadowed;
                var childInCallback = inCallback;
                if (node is IFunction nested)
                {
                    childInCallback = true;
                    childShadowed |= Rebinds(nested);
                }
                else if (node is CatchClause { Param: { } param } && Binds(param))
                {
                    childShadowed = true;
                }

                // Pushed in reverse, so the walk visits children in source order (the first callback return found
                // is the first in the text).
                var children = node.ChildNodes.ToList();
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    pending.Push((children[i], childShadowed, childInCallback));
                }
            }

            if (!ownReturn)
            {
                var (line, column) = callbackReturn is null ? (1, 1) : Position(callbackReturn);
                issues.Add(new PredicateIssue(PredicateIssueKind.NoReturn, string.Empty, line, column, callbackReturn is not null));
            }

            issues.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        }

        private void Check(Node node)
        {
            switch (node)
            {
                // ctx.NAME and ctx['NAME']
                case MemberExpression { Object: Identifier { Name: Context } } member when MemberName(member) is { } name:
                    if (!ContextMembers.Contains(name) && !ObjectPrototypeMembers.Contains(name))
                    {
                        Report(PredicateIssueKind.UnknownContextMember, name, member.Property);
                    }

                    break;

                // ctx.inputs.NAME and ctx.inputs['NAME']
                case MemberExpression { Object: MemberExpression inputs } member when IsContextInputs(inputs) && MemberName(member) is { } input:
                    if (!_inputs.Contains(input) && !ObjectPrototypeMembers.Contains(input))
                    {
                        Report(PredicateIssueKind.UndeclaredInput, input, member.Property);
                    }

                    break;

                // ctx.evidence('NAME', ...) and ctx.tryEvidence('NAME', ...)
                case CallExpression { Callee: MemberExpression { Object: Identifier { Name: Context } } callee, Arguments: [StringLiteral literal, ..] }
                    when MemberName(callee) is "evidence" or "tryEvidence":
                    if (!_inputs.Contains(literal.Value))
                    {
                        Report(PredicateIssueKind.UndeclaredInput, literal.Value, literal);
                    }

                    break;

                // const { inputs, subject } = ctx; const { logSources } = ctx.inputs;
                case VariableDeclarator { Id: ObjectPattern pattern, Init: { } init }:
                    var fromContext = init is Identifier { Name: Context };
                    var fromInputs = IsContextInputs(init);
                    if (!fromContext && !fromInputs)
                    {
                        break;
                    }

                    foreach (var property in pattern.Properties)
                    {
                        if (property is Property { Computed: false, Key: Identifier key } && !ObjectPrototypeMembers.Contains(key.Name))
                        {
                            if (fromContext && !ContextMembers.Contains(key.Name))
                            {
                                Report(PredicateIssueKind.UnknownContextMember, key.Name, key);
                            }
                            else if (fromInputs && !_inputs.Contains(key.Name))
                            {
                                Report(PredicateIssueKind.UndeclaredInput, key.Name, key);
                            }
                        }
                    }

                    break;
            }
        }

        private static bool IsContextInputs(Node node) =>
            node is MemberExpression { Object: Identifier { Name: Context } } member && MemberName(member) == "inputs";

        private static string? MemberName(MemberExpression member) => member switch
        {
            { Computed: false, Property: Identifier identifier } => identifier.Name,
            { Computed: true, Property: StringLiteral literal } => literal.Value,
            _ => null,
        };

        private void Report(PredicateIssueKind kind, string name, Node at)
        {
            var (line, column) = Position(at);
            issues.Add(new PredicateIssue(kind, name, line, column));
        }

        private (int Line, int Column) Position(Node node) =>
            PredicateCompiler.ToScriptPosition(source, node.Location.Start.Line, node.Location.Start.Column);

        /// <summary>True when a nested function takes a parameter, or declares a variable or function, named ctx.</summary>
        private static bool Rebinds(IFunction function) =>
            function.Params.Any(Binds)
            || (function.Body is { } body && Nodes(body, intoFunctions: false).Any(DeclaresContext));

        /// <summary>True when a binding pattern (a parameter, a declared name, a destructuring) introduces the name ctx.</summary>
        private static bool Binds(Node pattern) =>
            pattern is Identifier { Name: Context }
            || Nodes(pattern, intoFunctions: false).Any(n => n is Identifier { Name: Context });

        private static bool AssignsContext(Node node) =>
            node is AssignmentExpression { Left: var left } && Binds(left)
            || node is UpdateExpression { Argument: Identifier { Name: Context } };

        private static bool DeclaresContext(Node node) =>
            node is VariableDeclarator { Id: var id } && Binds(id)
            || node is FunctionDeclaration { Id.Name: Context }
            || node is ClassDeclaration { Id.Name: Context };

        /// <summary>Every node under <paramref name="root"/> (itself included), without recursion; nested functions only when asked.</summary>
        private static IEnumerable<Node> Nodes(Node root, bool intoFunctions)
        {
            var pending = new Stack<Node>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                yield return node;
                if (!intoFunctions && node != root && node is IFunction)
                {
                    continue;
                }

                foreach (var child in node.ChildNodes)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
