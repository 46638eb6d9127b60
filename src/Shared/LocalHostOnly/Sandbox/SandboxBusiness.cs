namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>
/// The fake business number the sandbox plays: the ids that appear in every webhook's <c>entry[].id</c> and
/// <c>value.metadata</c>. They are invented values, shaped like Meta's, so nothing can mistake them for a real account.
/// </summary>
public sealed record SandboxBusiness(string BusinessAccountId, string PhoneNumberId, string DisplayPhoneNumber);
