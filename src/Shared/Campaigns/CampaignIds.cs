namespace Messaging.Shared.Campaigns;

/// <summary>Campaign ids end up in table keys, instance ids and send ids: lowercase letters, digits and '-', at most 40.</summary>
public static class CampaignIds
{
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 40 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    public static string Validate(string? id) => IsValid(id) ? id! : throw new ArgumentException("A campaign id is 1-40 of [a-z0-9-].", nameof(id));

    public static string New() => "c-" + Guid.NewGuid().ToString("N")[..16];
}
