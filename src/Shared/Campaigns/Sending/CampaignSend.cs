using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Messaging.Shared.Campaigns.Sending;

/// <summary>
/// One recipient of one dispatch (<see cref="Partition"/> = its row's page partition), as it travels on the <c>campaign-sends</c> queue in Azure. It names the contact
/// by key only: the address, the parameters and the consent are read when the send runs.
/// </summary>
public sealed record CampaignSend(
    [property: JsonPropertyName("campaignId")] string CampaignId,
    [property: JsonPropertyName("partition")] string Partition,
    [property: JsonPropertyName("round")] int Round,
    [property: JsonPropertyName("contactKey")] string ContactKey,
    [property: JsonPropertyName("generation")] int Generation,
    [property: JsonPropertyName("template")] CampaignTemplateRef Template,
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("marketing")] bool Marketing,
    [property: JsonPropertyName("finalAttempt")] bool FinalAttempt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CampaignSend For(CampaignEffect.SendPage page, CampaignRecipientEntity row)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(row);
        return new(page.CampaignId, row.PartitionKey, page.Round, row.ContactKey, row.Generation, page.Template, page.Purpose, page.Marketing, page.FinalAttempt);
    }

    /// <summary>
    /// The queue's duplicate-detection id: the same for a page dispatch enqueued twice (an activity retried after a
    /// crash), different for a later round, which must not be dropped as a duplicate of the throttled one before it.
    /// Hashed, so no contact key shows in Service Bus metrics or logs.
    /// </summary>
    [JsonIgnore]
    public string DeduplicationId =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"campaign:{CampaignId}:{ContactKey}:{Generation}:round:{Round}")));

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <exception cref="FormatException">The bytes are not a campaign send.</exception>
    public static CampaignSend Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            var send = JsonSerializer.Deserialize<CampaignSend>(json, Json);
            return send is { CampaignId.Length: > 0, Partition.Length: > 0, ContactKey.Length: > 0, Template.Name.Length: > 0, Purpose.Length: > 0 } && CampaignIds.IsValid(send.CampaignId)
                ? send
                : throw new FormatException("Queue message is not a campaign send.");
        }
        catch (JsonException e)
        {
            throw new FormatException("Queue message is not a campaign send.", e);
        }
    }

    public override string ToString() => $"CampaignSend {{ CampaignId = {CampaignId}, Partition = {Partition}, Round = {Round}, ContactKey = {ContactKey} }}";
}
