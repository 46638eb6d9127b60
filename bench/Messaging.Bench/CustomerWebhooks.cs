using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Messaging.Bench;

/// <summary>
/// Inbound text-message webhooks for chosen customers, one message each, signed as Meta signs (written here
/// independently of the production signer). Customer n has wa_id <c>base + n</c>.
/// </summary>
internal sealed class CustomerWebhooks(string appSecret, long waIdBase)
{
    private const string Text =
        "Hallo! Ich habe gestern eine Bestellung aufgegeben und wollte fragen, wann sie ungefähr ankommt. " +
        "Könnten Sie bitte nachsehen, ob alles in Ordnung ist? Vielen Dank und viele Grüße!";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(appSecret);

    public string WaId(int customer) => (waIdBase + customer).ToString(CultureInfo.InvariantCulture);

    public static string NewWamid() => "wamid.HBgN" + Guid.NewGuid().ToString("N");

    public SignedWebhook Message(int customer, string wamid)
    {
        var waId = WaId(customer);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var json =
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":" +
            "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"}," +
            "\"contacts\":[{\"profile\":{\"name\":\"Kundin " + customer.ToString(CultureInfo.InvariantCulture) + "\"},\"wa_id\":\"" + waId + "\"}]," +
            "\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + timestamp + "\"," +
            "\"text\":{\"body\":" + JsonSerializer.Serialize(Text) + "},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}";
        return Sign(Encoding.UTF8.GetBytes(json));
    }

    public SignedWebhook Sign(byte[] body) => new(body, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));
}
