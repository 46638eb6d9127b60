using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Messaging.Bench;

internal sealed record SignedWebhook(byte[] Body, string Signature);

/// <summary>
/// Realistic inbound text-message webhooks (~1.3 KB, the shape Meta sends) with a unique wamid each, signed like
/// Meta signs them: <c>sha256=</c> + lowercase hex HMAC-SHA256 of the raw bytes with the app secret. Written here
/// independently of the production code, so a bug in its signer could not hide a bug in its verifier.
/// </summary>
internal sealed class Payloads(string appSecret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(appSecret);
    private long _next;

    private const string Text =
        "Hallo! Ich habe gestern eine Bestellung aufgegeben und wollte fragen, wann sie ungefähr ankommt. " +
        "Die Sendungsnummer aus der Bestätigungsmail funktioniert bei mir leider noch nicht, vielleicht ist sie " +
        "noch nicht aktiv. Könnten Sie bitte nachsehen, ob alles in Ordnung ist? Außerdem würde ich gern wissen, " +
        "ob ich die Lieferadresse noch ändern kann, weil ich nächste Woche nicht zu Hause bin. Vielen Dank und " +
        "viele Grüße! Ach ja, und gibt es die blaue Variante auch in Größe M? Ich würde sie dann gleich mitbestellen.";

    public SignedWebhook Next()
    {
        var n = Interlocked.Increment(ref _next);
        var contact = 4915100000000L + (n % 5000);
        var wamid = "wamid.HBgN" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', 'A').Replace('/', 'B') + n.ToString(CultureInfo.InvariantCulture);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        // Meta escapes non-ASCII as \uXXXX before signing; JSON-escape the text the same way.
        var escapedText = System.Text.Json.JsonSerializer.Serialize(Text);
        var json =
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":" +
            "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"}," +
            "\"contacts\":[{\"profile\":{\"name\":\"Kundin " + (n % 5000).ToString(CultureInfo.InvariantCulture) + "\"},\"wa_id\":\"" + contact.ToString(CultureInfo.InvariantCulture) + "\"}]," +
            "\"messages\":[{\"from\":\"" + contact.ToString(CultureInfo.InvariantCulture) + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + timestamp + "\"," +
            "\"text\":{\"body\":" + escapedText + "},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}";
        var body = Encoding.UTF8.GetBytes(json);
        return new SignedWebhook(body, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));
    }
}
