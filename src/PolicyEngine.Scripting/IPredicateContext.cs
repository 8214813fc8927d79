using System.Text.Json;

namespace PolicyEngine.Scripting;

/// <summary>
/// What a predicate call can see. The core implements it over a snapshot; the runtime exposes it to the script as the
/// frozen <c>ctx</c> object. Implementations are called on the evaluating thread, during the call.
/// </summary>
public interface IPredicateContext
{
    /// <summary>The subject's JSON (evidence response, config item, account object, or an item of <c>forEach</c>).</summary>
    JsonElement Subject { get; }

    /// <summary>The subject's account id, if it has one.</summary>
    string? Account { get; }

    /// <summary>The subject's region, if it has one.</summary>
    string? Region { get; }

    /// <summary>SRA roles of the subject account, for example <c>management</c>, <c>securityTooling</c>, <c>logArchive</c>.</summary>
    IReadOnlyList<string> Roles { get; }

    /// <summary>The snapshot's organization section; <see langword="null"/> when it was not collected.</summary>
    JsonElement? Organization { get; }

    /// <summary>The snapshot's account-roles section; <see langword="null"/> when absent.</summary>
    JsonElement? AccountRoles { get; }

    /// <summary>
    /// An object that is the same (by reference) for every context whose <see cref="Organization"/>,
    /// <see cref="AccountRoles"/> and <see cref="GovernedRegions"/> are the same, e.g. the snapshot they come from; or
    /// <see langword="null"/> when there is no such promise. The runtime keeps the frozen script views of those sections
    /// from one call to the next while it stays the same, instead of projecting an organization of thousands of
    /// accounts again for every subject.
    /// </summary>
    object? SharedSections => null;

    /// <summary>
    /// The ids of the organization's ACTIVE accounts, sorted by ordinal comparison; <see langword="null"/> when the
    /// organization's account list was not collected. Computed once per snapshot: a predicate that needs every account
    /// (e.g. to find the batch an account was asked about in) would otherwise filter and sort the organization for each
    /// of its subjects, which grows with the square of the accounts.
    /// </summary>
    IReadOnlyList<string>? ActiveAccountIds => null;

    /// <summary>The snapshot's governed regions (empty when it does not say), e.g. for "exists in some region" checks.</summary>
    IReadOnlyList<string> GovernedRegions => [];

    /// <summary>
    /// When the snapshot was collected. <c>new Date()</c> and <c>Date.now()</c> in a predicate return this instant
    /// (the Unix epoch when unknown), so a run never depends on the wall clock.
    /// </summary>
    DateTimeOffset? CollectedAt => null;

    /// <summary>The rule's declared inputs, already resolved for this subject, by input name.</summary>
    IReadOnlyDictionary<string, EvidenceView> Inputs { get; }

    /// <summary>Looks up a declared input for another account, region or parameter set.</summary>
    EvidenceView Evidence(string inputName, string? account, string? region, IReadOnlyDictionary<string, string>? parameters);

    /// <summary>AWS Config items of a resource type, for example <c>AWS::S3::Bucket</c>.</summary>
    IReadOnlyList<JsonElement> Resources(string resourceType);

    /// <summary>
    /// Why the snapshot's AWS Config resources were not collected (no <c>resources</c> section, or
    /// <c>coverage.sections.resources: notCollected</c>), or <see langword="null"/> when they were. An uncollected
    /// section is not an empty one: <c>ctx.resources</c> then ends the predicate with InsufficientData, as a
    /// <c>target: resource</c> rule is InsufficientData.
    /// </summary>
    string? ResourcesNotCollected => null;

    /// <summary>
    /// Why the items of one resource type are incomplete (the type was not collected, or some account and region were
    /// not or only partly collected), or <see langword="null"/> when every item of the type was read. <c>ctx.resources</c>
    /// then ends the predicate with InsufficientData: a list with items missing must not let a predicate pass.
    /// </summary>
    string? ResourcesIncomplete(string resourceType) => null;
}

/// <summary>Collection state of one piece of evidence.</summary>
public enum EvidenceStatus
{
    /// <summary>Collected successfully; <see cref="EvidenceView.Response"/> holds the response.</summary>
    Ok,

    /// <summary>The collector called the API and it failed; see <see cref="EvidenceView.ErrorCode"/>.</summary>
    Error,

    /// <summary>The collector did not attempt this call (skipped, out of scope, not permitted by the run).</summary>
    NotCollected,

    /// <summary>The snapshot has no record for this key.</summary>
    Missing,
}

/// <summary>One piece of evidence as the predicate sees it.</summary>
/// <param name="Status">Collection state.</param>
/// <param name="Response">The response JSON when <paramref name="Status"/> is <see cref="EvidenceStatus.Ok"/>.</param>
/// <param name="ErrorCode">The AWS or collector error code when collection failed.</param>
/// <param name="ErrorMessage">The error message when collection failed.</param>
/// <param name="Key">The evidence key (operation, account, region, parameters) used in messages.</param>
public sealed record EvidenceView(EvidenceStatus Status, JsonElement? Response, string? ErrorCode, string? ErrorMessage, string Key);
