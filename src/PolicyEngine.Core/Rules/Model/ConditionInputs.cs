namespace PolicyEngine.Core.Rules.Model;

/// <summary>The input names a condition reads, so evidence can be resolved only when it is needed.</summary>
internal static class ConditionInputs
{
    public static IReadOnlySet<string> Of(Condition? condition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(condition, names);
        return names;
    }

    private static void Collect(Condition? condition, HashSet<string> names)
    {
        switch (condition)
        {
            case AllCondition all:
                all.Conditions.ToList().ForEach(c => Collect(c, names));
                break;
            case AnyCondition any:
                any.Conditions.ToList().ForEach(c => Collect(c, names));
                break;
            case NotCondition not:
                Collect(not.Inner, names);
                break;
            case PathCondition path:
                names.Add(path.Input);
                var source = path.Test switch
                {
                    EqualsTest e => e.Expected,
                    InTest i => i.Allowed,
                    _ => null,
                };
                if (source is SelectedValues selected)
                {
                    names.Add(selected.Input);
                }

                break;
        }
    }
}
